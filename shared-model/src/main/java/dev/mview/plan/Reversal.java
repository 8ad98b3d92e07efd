package dev.mview.plan;

import dev.mview.MviewException;
import dev.mview.catalog.Catalog;
import dev.mview.catalog.LiveIndex;
import dev.mview.catalog.LiveView;
import dev.mview.internal.Restore;
import dev.mview.internal.lexer.TableStatement;
import dev.mview.internal.sql.Ddl;
import dev.mview.model.IndexDefinition;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewKind;
import dev.mview.model.ViewModel;
import dev.mview.sql.Identifiers;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * How to undo a plan the way a rollback should: as a redefinition back to the definitions it
 * replaced, planned from the catalog at rollback time ({@link #plan}). The views it replaced or
 * altered are defined back as they were and rebuilt like any replace, so the grants, comments,
 * owner and hand-made indexes they and their readers carry at rollback time are kept; the views it
 * created are dropped; the views it dropped are created again and given back, as captured when it
 * ran, what no definition holds (owner, grants, column comments, triggers, indexes on expressions).
 *
 * <p>A plan with a {@link TableChange} is undone by its reverse statements, planned as a table
 * change of their own (so the views in their way are rebuilt too); without reverse statements it
 * cannot be undone ({@link #irreversible()}).
 *
 * <p>{@link Plan#inverse()} instead replays what was captured when the plan was made, which is
 * right for a script written then, but revokes what was granted since. A reversal is kept between
 * the two moments in a portable text form ({@link #encode}, {@link #decode}).
 */
public final class Reversal {
  private static final String FORMAT = "mview-reversal-1";

  private final ViewModel earlier;
  private final Set<QualifiedName> created;
  private final Map<QualifiedName, List<String>> restoring;
  /** The table change that undoes the plan's, or null when it had none. */
  private final TableChange tableChange;
  /** Why the plan cannot be undone (a table change without reverse statements), or null. */
  private final String irreversible;

  private Reversal(ViewModel earlier, Set<QualifiedName> created, Map<QualifiedName, List<String>> restoring,
      TableChange tableChange, String irreversible) {
    this.earlier = earlier;
    this.tableChange = tableChange;
    this.irreversible = irreversible;
    this.created = Collections.unmodifiableSet(new LinkedHashSet<>(created));
    Map<QualifiedName, List<String>> copy = new LinkedHashMap<>();
    restoring.forEach((name, statements) -> copy.put(name, List.copyOf(statements)));
    this.restoring = Collections.unmodifiableMap(copy);
  }

  /**
   * The reversal of {@code plan}, which was planned from {@code before} (the catalog as it was:
   * see {@link Reconciler#plan(Connection, Catalog, ViewModel, ReconcileOptions)}).
   *
   * @throws MviewException of kind {@link MviewException.Kind#INTERNAL} when a step's view is not
   *     in {@code before} though the plan treated it as existing
   */
  public static Reversal of(Catalog before, Plan plan) {
    Set<QualifiedName> created = new LinkedHashSet<>();
    Map<QualifiedName, LiveView> changed = new LinkedHashMap<>();
    Set<QualifiedName> rebuilt = new LinkedHashSet<>();
    TableChange tableChange = null;
    String irreversible = null;
    for (Step step : plan.steps()) {
      LiveView live = before.view(step.view()).orElse(null);
      if (step.action() == Step.Action.CHANGE_TABLE) {
        if (step.inverse().isEmpty()) {
          irreversible = "its table change (" + step.statements().get(0) + (step.statements().size() > 1 ? ", ..." : "")
              + ") was given no reverse statements";
        } else {
          tableChange = reverseOf(step);
        }
        continue;
      }
      switch (step.action()) {
        case CREATE -> {
          if (live == null) {
            created.add(step.view());
          } else {
            changed.put(step.view(), live);
          }
        }
        case RECREATE -> rebuilt.add(step.view());
        case ALTER, DROP -> changed.put(step.view(), existing(live, step));
        default -> { } // a refresh changes data only
      }
    }
    // A view dropped only to be rebuilt, unchanged, reads a replaced one: the rollback rebuilds it again.
    rebuilt.forEach(changed::remove);
    List<ViewDefinition> definitions = new ArrayList<>();
    Map<QualifiedName, List<String>> restoring = new LinkedHashMap<>();
    changed.forEach((name, live) -> {
      definitions.add(definition(live));
      List<String> statements = new ArrayList<>(Restore.indexes(live, verbatimIndexes(live)));
      // The rollback may run as another role, so the owner is set back even where the migration's
      // role owned the view (properties() leaves that out, as the creator owns what it creates).
      if (live.owner().equals(before.currentUser())) {
        statements.add(Ddl.alterOwner(name, live.kind(), live.owner()));
      }
      statements.addAll(Restore.properties(live, name, live.kind(), Set.copyOf(live.columns()), before));
      restoring.put(name, statements);
    });
    return new Reversal(ViewModel.of(definitions), created, restoring, tableChange, irreversible);
  }

  /**
   * The table change that undoes {@code step}'s: its inverse, with its statements as reverse.
   * When mview cannot read a reverse statement, the step's relation is named as changed.
   */
  private static TableChange reverseOf(Step step) {
    TableChange.Builder reverse = TableChange.builder();
    step.inverse().forEach(reverse::statement);
    step.statements().forEach(reverse::reverse);
    if (step.inverse().stream().anyMatch(sql -> !TableStatement.read(sql).readable())) {
      reverse.relation(step.view());
    }
    return reverse.build();
  }

  private static LiveView existing(LiveView live, Step step) {
    if (live == null) {
      throw new MviewException(MviewException.Kind.INTERNAL, "step " + step.heading() + " acts on a view the catalog"
          + " it was planned from does not hold");
    }
    return live;
  }

  /** {@code live} as a declaration: its query, options and comment, and its indexes on plain columns. */
  private static ViewDefinition definition(LiveView live) {
    ViewDefinition.Builder builder = live.toDefinition().toBuilder();
    for (LiveIndex index : live.indexes()) {
      if (!verbatim(index)) {
        builder.index(IndexDefinition.on(index.columns()).name(index.name()).unique(index.unique())
            .where(index.predicate()).method(index.method()).build());
      }
    }
    return builder.build();
  }

  /** Indexes a declaration cannot hold (on expressions, or in a tablespace of their own): replayed as they were. */
  private static List<LiveIndex> verbatimIndexes(LiveView live) {
    return live.indexes().stream().filter(Reversal::verbatim).toList();
  }

  private static boolean verbatim(LiveIndex index) {
    return !index.onPlainColumns() || index.tablespace() != null;
  }

  /** The definitions to go back to: of the views the plan replaced, altered or dropped, as they were. */
  public ViewModel earlier() {
    return earlier;
  }

  /** The views the plan created from nothing: the rollback drops them. */
  public Set<QualifiedName> created() {
    return created;
  }

  /**
   * For each view of {@link #earlier()}: the statements that give it back, when the rollback must
   * create it from nothing, what it carried when the plan was made beyond its definition.
   */
  public Map<QualifiedName, List<String>> restoring() {
    return restoring;
  }

  /** The table change that undoes the plan's, if it had one with reverse statements. */
  public Optional<TableChange> tableChange() {
    return Optional.ofNullable(tableChange);
  }

  /** Why the plan cannot be undone, if it cannot: its table change was given no reverse statements. */
  public Optional<String> irreversible() {
    return Optional.ofNullable(irreversible);
  }

  /** Whether undoing the plan changes nothing. */
  public boolean isEmpty() {
    return earlier.isEmpty() && created.isEmpty() && tableChange == null && irreversible == null;
  }

  /**
   * The plan that undoes the reversed one on the database as it is now: one reconcile to
   * {@link #earlier()} that also drops {@link #created()} (a created view that is gone already is
   * skipped), with the usual order, checks and rebuilt dependents. Reads the catalog; changes
   * nothing.
   *
   * @throws MviewException as {@link Reconciler#plan(Connection, ViewModel, ReconcileOptions)}
   *     does: for example {@link MviewException.Kind#HAS_DEPENDENTS} when a view made since reads a
   *     view to drop
   */
  public Plan plan(Connection connection) {
    if (irreversible != null) {
      throw new MviewException(MviewException.Kind.IRREVERSIBLE, "it cannot be undone: " + irreversible
          + "; give them (the DDL that undoes the change) to make it reversible, or undo it by other means");
    }
    ReconcileOptions.Builder options = ReconcileOptions.builder().drop(created.toArray(QualifiedName[]::new));
    restoring.forEach(options::restoring);
    return tableChange == null ? Reconciler.plan(connection, earlier, options.build())
        : Reconciler.planTableChange(connection, tableChange, earlier, options.build());
  }

  /** This reversal as text, for keeping it in a table until a rollback reads it back with {@link #decode}. */
  public String encode() {
    Properties properties = new Properties();
    properties.setProperty("format", FORMAT);
    int i = 0;
    for (QualifiedName name : created) {
      properties.setProperty("created." + i++, Identifiers.quote(name));
    }
    i = 0;
    for (ViewDefinition view : earlier.views()) {
      String prefix = "view." + i++ + ".";
      properties.setProperty(prefix + "name", Identifiers.quote(view.name()));
      properties.setProperty(prefix + "kind", view.kind().name());
      properties.setProperty(prefix + "query", view.query());
      properties.setProperty(prefix + "withData", Boolean.toString(view.withData()));
      list(properties, prefix + "column.", view.columnNames());
      view.tablespace().ifPresent(space -> properties.setProperty(prefix + "tablespace", space));
      view.storageParameters().forEach((key, value) -> properties.setProperty(prefix + "option." + key, value));
      view.comment().ifPresent(comment -> properties.setProperty(prefix + "comment", comment));
      list(properties, prefix + "dependsOn.", view.declaredDependencies().stream().map(Identifiers::quote).toList());
      int j = 0;
      for (IndexDefinition index : view.indexes()) {
        String at = prefix + "index." + j++ + ".";
        properties.setProperty(at + "name", index.name().orElseThrow());
        list(properties, at + "column.", index.columns());
        properties.setProperty(at + "unique", Boolean.toString(index.isUnique()));
        index.where().ifPresent(where -> properties.setProperty(at + "where", where));
        index.method().ifPresent(method -> properties.setProperty(at + "method", method));
      }
      list(properties, prefix + "restore.", restoring.getOrDefault(view.name(), List.of()));
    }
    if (tableChange != null) {
      list(properties, "table.statement.", tableChange.statements());
      list(properties, "table.reverse.", tableChange.reverse());
      list(properties, "table.relation.", tableChange.relations().stream().map(Identifiers::quote).toList());
    }
    if (irreversible != null) {
      properties.setProperty("table.irreversible", irreversible);
    }
    StringWriter text = new StringWriter();
    try {
      properties.store(text, null);
    } catch (IOException e) {
      throw new MviewException(MviewException.Kind.INTERNAL, "a StringWriter does not fail", e);
    }
    return text.toString();
  }

  /**
   * The reversal {@link #encode} wrote.
   *
   * @throws MviewException of kind {@link MviewException.Kind#INVALID_DECLARATION} when
   *     {@code text} is not one
   */
  public static Reversal decode(String text) {
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(text));
    } catch (IOException | IllegalArgumentException e) {
      throw notAReversal(e.getMessage());
    }
    if (!FORMAT.equals(properties.getProperty("format"))) {
      throw notAReversal("format is '" + properties.getProperty("format") + "', expected " + FORMAT);
    }
    Set<QualifiedName> created = new LinkedHashSet<>();
    list(properties, "created.").forEach(name -> created.add(QualifiedName.parse(name)));
    List<ViewDefinition> views = new ArrayList<>();
    Map<QualifiedName, List<String>> restoring = new LinkedHashMap<>();
    for (int i = 0; properties.containsKey("view." + i + ".name"); i++) {
      String prefix = "view." + i + ".";
      QualifiedName name = QualifiedName.parse(properties.getProperty(prefix + "name"));
      String query = properties.getProperty(prefix + "query");
      ViewDefinition.Builder builder = ViewKind.valueOf(properties.getProperty(prefix + "kind")) == ViewKind.VIEW
          ? ViewDefinition.view(name, query)
          : ViewDefinition.materializedView(name, query).withData(Boolean.parseBoolean(properties.getProperty(prefix + "withData")))
              .tablespace(properties.getProperty(prefix + "tablespace"));
      builder.columnNames(list(properties, prefix + "column."));
      properties.stringPropertyNames().stream().filter(key -> key.startsWith(prefix + "option.")).sorted()
          .forEach(key -> builder.storageParameter(key.substring((prefix + "option.").length()), properties.getProperty(key)));
      builder.comment(properties.getProperty(prefix + "comment"));
      list(properties, prefix + "dependsOn.").forEach(builder::dependsOn);
      for (int j = 0; properties.containsKey(prefix + "index." + j + ".name"); j++) {
        String at = prefix + "index." + j + ".";
        builder.index(IndexDefinition.on(list(properties, at + "column.")).name(properties.getProperty(at + "name"))
            .unique(Boolean.parseBoolean(properties.getProperty(at + "unique"))).where(properties.getProperty(at + "where"))
            .method(properties.getProperty(at + "method")).build());
      }
      views.add(builder.build());
      restoring.put(name, list(properties, prefix + "restore."));
    }
    TableChange tableChange = null;
    if (properties.containsKey("table.statement.0")) {
      TableChange.Builder change = TableChange.builder();
      list(properties, "table.statement.").forEach(change::statement);
      list(properties, "table.reverse.").forEach(change::reverse);
      list(properties, "table.relation.").forEach(change::relation);
      tableChange = change.build();
    }
    return new Reversal(ViewModel.of(views), created, restoring, tableChange, properties.getProperty("table.irreversible"));
  }

  private static void list(Properties properties, String prefix, List<String> values) {
    for (int i = 0; i < values.size(); i++) {
      properties.setProperty(prefix + i, values.get(i));
    }
  }

  private static List<String> list(Properties properties, String prefix) {
    List<String> values = new ArrayList<>();
    for (int i = 0; properties.containsKey(prefix + i); i++) {
      values.add(properties.getProperty(prefix + i));
    }
    return values;
  }

  private static MviewException notAReversal(String why) {
    return new MviewException(MviewException.Kind.INVALID_DECLARATION, "the text is not an mview reversal: " + why);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Reversal other && List.copyOf(earlier.views()).equals(List.copyOf(other.earlier.views()))
        && created.equals(other.created) && restoring.equals(other.restoring)
        && Objects.equals(tableChange, other.tableChange) && Objects.equals(irreversible, other.irreversible);
  }

  @Override
  public int hashCode() {
    return Objects.hash(List.copyOf(earlier.views()), created, restoring, tableChange, irreversible);
  }
}
