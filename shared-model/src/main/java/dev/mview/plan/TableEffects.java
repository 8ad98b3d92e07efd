package dev.mview.plan;

import dev.mview.MviewException;
import dev.mview.catalog.Catalog;
import dev.mview.internal.lexer.QueryReferences;
import dev.mview.internal.lexer.TableStatement;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a {@link TableChange} does to the live views, decided from its statements' tokens and the
 * column-level edges of the catalog: the views that read a column whose type changes or that is
 * dropped must be rebuilt; a rename, a new column or an index rebuilds nothing; a statement or an
 * action mview cannot read rebuilds every view of its relation.
 */
final class TableEffects {
  private final TableChange change;
  /** The views the change itself forces to be rebuilt (not what reads them), each with why. */
  private final Map<QualifiedName, String> forced = new TreeMap<>();
  /** For each view reading a dropped column, those columns ({@code relation.column}). */
  private final Map<QualifiedName, Set<String>> droppedReads = new TreeMap<>();
  private final Set<QualifiedName> relations = new LinkedHashSet<>();
  private final List<String> notes = new ArrayList<>();

  private TableEffects(TableChange change) {
    this.change = change;
  }

  /**
   * Reads {@code change} against {@code catalog}; {@code resolve} turns a relation name as written
   * (one or two parts) into the relation it names now, or null when there is none.
   *
   * @throws MviewException of kind {@link MviewException.Kind#INVALID_DECLARATION} when a statement
   *     cannot be read and no relation was named
   */
  static TableEffects of(TableChange change, Catalog catalog, Function<List<String>, QualifiedName> resolve) {
    TableEffects effects = new TableEffects(change);
    Map<List<String>, QualifiedName> renamedTables = new HashMap<>();
    Map<QualifiedName, Map<String, String>> renamedColumns = new HashMap<>();
    List<String> statements = change.statements();
    for (int i = 0; i < statements.size(); i++) {
      TableStatement statement = TableStatement.read(statements.get(i));
      String which = "statement " + (i + 1);
      if (!statement.readable()) {
        if (change.relations().isEmpty()) {
          throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "mview cannot tell which columns table"
              + " change " + which + " (" + statements.get(i) + ") changes: name the relations it changes, and every"
              + " view reading them is rebuilt. Nothing was changed.");
        }
        effects.notes.add(which + " is not read by mview");
        continue;
      }
      QualifiedName relation = renamedTables.containsKey(statement.relation()) ? renamedTables.get(statement.relation())
          : resolve.apply(statement.relation());
      if (relation == null) {
        continue; // no such relation now, so no view reads it
      }
      effects.relations.add(relation);
      Map<String, String> original = renamedColumns.computeIfAbsent(relation, r -> new HashMap<>());
      for (String column : statement.retyped()) {
        String was = original.getOrDefault(column, column);
        effects.force(catalog.readersOf(relation, was), "reads " + relation + "." + was + ", whose type changes");
      }
      for (String column : statement.dropped()) {
        String was = original.getOrDefault(column, column);
        Set<QualifiedName> readers = catalog.readersOf(relation, was);
        effects.force(readers, "reads " + relation + "." + was + ", which is dropped");
        readers.forEach(reader -> effects.droppedReads.computeIfAbsent(reader, r -> new TreeSet<>())
            .add(relation + "." + was));
      }
      for (List<String> rename : statement.renamed()) {
        original.put(rename.get(1), original.getOrDefault(rename.get(0), rename.get(0)));
      }
      if (statement.unknownAction() != null) {
        effects.force(catalog.directDependentsOf(relation), "reads " + relation + ", which " + which
            + " changes in a way mview does not read (" + statement.unknownAction() + ")");
        effects.notes.add(which + " rebuilds every view of " + relation + ": mview does not read "
            + statement.unknownAction());
      }
      if (statement.renamedTo() != null) {
        List<String> parts = statement.relation();
        renamedTables.put(parts.size() == 2 ? List.of(parts.get(0), statement.renamedTo())
            : List.of(statement.renamedTo()), relation);
      }
    }
    for (QualifiedName named : change.relations()) {
      effects.relations.add(named);
      effects.force(catalog.directDependentsOf(named), "reads " + named + ", named as changed");
    }
    return effects;
  }

  private void force(Set<QualifiedName> views, String reason) {
    views.forEach(view -> forced.putIfAbsent(view, reason));
  }

  /** The views the change forces to be rebuilt, each with why. */
  Map<QualifiedName, String> forced() {
    return forced;
  }

  /**
   * Fails when a view that reads a dropped column is to be built again from its captured
   * definition: only a new declaration of it ({@code replaced}) can stop it reading the column.
   *
   * @throws MviewException of kind {@link MviewException.Kind#HAS_DEPENDENTS}, naming the views
   *     and columns
   */
  void checkDroppedColumns(Set<QualifiedName> replaced) {
    Map<QualifiedName, Set<String>> stuck = new LinkedHashMap<>(droppedReads);
    stuck.keySet().removeAll(replaced);
    if (stuck.isEmpty()) {
      return;
    }
    String views = stuck.entrySet().stream().map(entry -> entry.getKey() + " reads " + String.join(", ", entry.getValue()))
        .collect(Collectors.joining("; "));
    String names = stuck.keySet().stream().map(QualifiedName::toString).collect(Collectors.joining(", "));
    throw new MviewException(MviewException.Kind.HAS_DEPENDENTS, "cannot drop a column that views read: " + views
        + ". Their definitions would no longer work once it is gone. Redeclare " + names
        + " without it in the same release (or drop " + (stuck.size() == 1 ? "that view" : "those views")
        + " there). Nothing was changed.");
  }

  /** The relations the change names that {@code view}'s query reads, as the model resolves names. */
  Set<QualifiedName> readBy(ViewDefinition view) {
    Set<QualifiedName> read = new TreeSet<>();
    for (QueryReferences.Reference reference : QueryReferences.of(view.query())) {
      for (QualifiedName relation : relations) {
        boolean names = reference.schema() != null
            ? relation.equals(QualifiedName.of(reference.schema(), reference.name()))
            : relation.name().equals(reference.name()) && (relation.schema().equals(view.name().schema())
                || relation.schema().equals(QualifiedName.DEFAULT_SCHEMA));
        if (names) {
          read.add(relation);
        }
      }
    }
    return read;
  }

  /** The step that runs the statements; its inverse runs the reverse ones, when given. */
  Step step(Set<QualifiedName> rebuilt) {
    QualifiedName subject = relations.isEmpty() ? null : relations.iterator().next();
    if (subject == null) {
      throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "the table change " + change
          + " names no relation that exists: check the names, or name the relations it changes");
    }
    List<String> what = new ArrayList<>();
    what.add(rebuilt.isEmpty() ? "no view reads what it changes"
        : "views rebuilt around it: " + rebuilt.stream().map(QualifiedName::toString).collect(Collectors.joining(", ")));
    what.addAll(notes);
    return new Step(Step.Action.CHANGE_TABLE, subject, String.join("; ", what), change.statements(), change.reverse());
  }
}
