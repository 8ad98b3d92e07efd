package dev.mview.plan;

import dev.mview.MviewException;
import dev.mview.catalog.LiveIndex;
import dev.mview.catalog.LiveView;
import dev.mview.internal.sql.Ddl;
import dev.mview.model.IndexDefinition;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to build a view of one database again in another through a declaration that carries only
 * part of it: which live indexes a declaration can state exactly, and the statements that, once the
 * declaration has been created (or reconciled onto the view the other database has), give the view
 * everything else it has live — indexes the declaration leaves out, storage parameters, column
 * comments — and take away what the other database's view has that it has not. For front ends that
 * turn a database's views into changes (Liquibase's {@code generate-changelog} and
 * {@code diff-changelog}). Owner and privileges are not part of it: they belong to the roles of
 * each database.
 */
public final class Recreation {
  private Recreation() {}

  /**
   * {@code index} of {@code view} as a declaration, when creating that declaration builds exactly
   * this index: same name, key columns (plain columns only), uniqueness, access method and
   * predicate, and nothing a declaration cannot say (included columns, sort order, operator
   * classes, collations, storage options, a tablespace of its own); empty otherwise. The access
   * method is left out when it is PostgreSQL's default ({@code btree}).
   *
   * @throws MviewException of kind {@code INTERNAL} when the catalog was read without definitions
   */
  public static Optional<IndexDefinition> declaration(QualifiedName view, LiveIndex index) {
    String definition = index.definition();
    if (!index.onPlainColumns() || index.tablespace() != null) {
      return Optional.empty();
    }
    IndexDefinition stated;
    try {
      stated = IndexDefinition.on(index.columns()).name(index.name()).unique(index.unique())
          .method(index.method()).where(index.predicate()).build();
    } catch (MviewException e) {
      return Optional.empty(); // not expressible as a declaration (a column listed twice, say)
    }
    // Compared with the access method stated, as pg_get_indexdef always names it; returned without the default.
    if (!Ddl.createIndex(view, stated).equals(definition)) {
      return Optional.empty();
    }
    return Optional.of("btree".equals(index.method()) ? stated.toBuilder().method(null).build() : stated);
  }

  /**
   * The statements that, run once {@code declared} has been created where no view of its name
   * existed ({@link Planner#create}), make it exactly {@code target}: the indexes, storage
   * parameters, tablespace, comment and column comments {@code target} has and {@code declared}
   * does not state.
   *
   * @throws MviewException of kind {@code INTERNAL} when they are not the same view, or
   *     {@code target} was read without definitions
   */
  public static List<String> afterCreate(ViewDefinition declared, LiveView target) {
    State created = new State();
    declared.indexes().forEach(index -> created.indexes.put(index.name().orElseThrow(), new Index(index, null)));
    created.options.putAll(declared.storageParameters());
    created.comment = declared.comment().orElse(null);
    created.tablespace = declared.tablespace().orElse(null);
    return complete(declared, created, target, false);
  }

  /**
   * The statements that, run once {@code declared} has been reconciled onto {@code existing} (a
   * view of the same name in the database being changed, replaced or altered as
   * {@link Reconciler} does), make it exactly {@code target}. A reconcile keeps what a declaration
   * leaves out (indexes made by hand, a comment, storage parameters, a tablespace), so besides
   * what {@link #afterCreate} adds, these take away what {@code existing} has and {@code target}
   * has not. Indexes are dropped {@code IF EXISTS}: a rebuild may already have lost one whose
   * columns went away.
   *
   * @throws MviewException of kind {@code INTERNAL} when they are not the same view, or a view
   *     was read without definitions
   */
  public static List<String> afterReconcile(ViewDefinition declared, LiveView existing, LiveView target) {
    if (!existing.name().equals(declared.name())) {
      throw new MviewException(MviewException.Kind.INTERNAL, "cannot reconcile " + declared.name() + " onto " + existing.name());
    }
    State kept = new State();
    existing.indexes().forEach(index -> kept.indexes.put(index.name(), new Index(null, statement(existing.name(), index))));
    declared.indexes().forEach(index -> kept.indexes.put(index.name().orElseThrow(), new Index(index, null)));
    kept.options.putAll(declared.storageParameters().isEmpty() ? existing.options() : declared.storageParameters());
    kept.comment = declared.comment().orElse(existing.comment());
    kept.tablespace = declared.tablespace().orElse(existing.tablespace());
    existing.columnComments().forEach((column, comment) -> {
      if (target.columns().contains(column)) {
        kept.columnComments.put(column, comment);
      }
    });
    return complete(declared, kept, target, true);
  }

  /** What the view holds once the declaration has been applied; an index is declared or live. */
  private static final class State {
    final Map<String, Index> indexes = new LinkedHashMap<>();
    final Map<String, String> options = new LinkedHashMap<>();
    final Map<String, String> columnComments = new LinkedHashMap<>();
    String comment;
    String tablespace;
  }

  private record Index(IndexDefinition declared, String text) {
    boolean matches(QualifiedName view, LiveIndex live) {
      return declared != null ? declaration(view, live).equals(Optional.of(declared))
          : text.equals(statement(view, live));
    }
  }

  private static List<String> complete(ViewDefinition declared, State state, LiveView target, boolean dropIfExists) {
    QualifiedName view = target.name();
    if (!view.equals(declared.name()) || declared.kind() != target.kind()) {
      throw new MviewException(MviewException.Kind.INTERNAL, "declared " + declared.kind().label() + " " + declared.name()
          + " is not the " + target.kind().label() + " " + view);
    }
    List<String> statements = new ArrayList<>();
    List<String> creates = new ArrayList<>();
    state.indexes.forEach((name, index) -> {
      Optional<LiveIndex> wanted = target.index(name);
      if (wanted.isEmpty() || !index.matches(view, wanted.get())) {
        statements.add(dropIfExists ? Ddl.dropIndexIfExists(view, name) : Ddl.dropIndex(view, name));
      }
    });
    for (LiveIndex index : target.indexes()) {
      Index present = state.indexes.get(index.name());
      if (present == null || !present.matches(view, index)) {
        creates.add(statement(view, index));
      }
    }
    statements.addAll(creates);
    if (!Objects.equals(state.tablespace, target.tablespace())) {
      statements.add(Ddl.alterTablespace(view, target.tablespace()));
    }
    statements.addAll(Ddl.alterOptions(view, target.kind(), state.options, target.options()));
    if (!Objects.equals(state.comment, target.comment())) {
      statements.add(Ddl.comment(view, target.kind(), target.comment()));
    }
    for (String column : target.columns()) {
      String comment = target.columnComments().get(column);
      if (!Objects.equals(state.columnComments.get(column), comment)) {
        statements.add(Ddl.commentOnColumn(view, column, comment));
      }
    }
    return List.copyOf(statements);
  }

  /**
   * The statement that builds {@code index} of {@code view} again exactly: its own definition
   * ({@code pg_get_indexdef}), with its tablespace, which that definition leaves out.
   *
   * @throws MviewException of kind {@code INTERNAL} when the catalog was read without definitions
   */
  public static String statement(QualifiedName view, LiveIndex index) {
    return index.tablespace() == null ? index.definition()
        : Ddl.copyIndex(index.definition(), view, index.name(), view, index.name(), index.tablespace(), index.predicate());
  }
}
