package dev.mview.liquibase.internal.diff;

import dev.mview.MviewException;
import dev.mview.catalog.LiveIndex;
import dev.mview.catalog.LiveView;
import dev.mview.liquibase.CreateMaterializedViewChange;
import dev.mview.liquibase.DropMaterializedViewChange;
import dev.mview.liquibase.snapshot.MaterializedView;
import dev.mview.model.IndexDefinition;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.plan.Recreation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import liquibase.change.Change;
import liquibase.change.core.RawSQLChange;
import liquibase.database.Database;
import liquibase.diff.output.DiffOutputControl;
import liquibase.exception.UnexpectedLiquibaseException;

/**
 * The changes that make a materialized view of one database in another: mview's own
 * {@code createMaterializedView} (query, populated or not, tablespace, comment, and its unique
 * key where one index is exactly what {@code uniqueKey} creates), then one {@code sql} change per
 * statement that shared-model's {@link Recreation} says the view still needs: the other indexes
 * as PostgreSQL defines them, storage parameters, column comments. Names always carry their
 * schema, since the query PostgreSQL deparses names every relation by its schema too.
 */
final class MaterializedViewChanges {
  private MaterializedViewChanges() {}

  /** What creates {@code view} where it is missing. */
  static Change[] create(MaterializedView view, DiffOutputControl control, Database database) {
    LiveView target = scoped(live(view), control);
    CreateMaterializedViewChange create = declaration(view, target, control);
    return withStatements(create, Recreation.afterCreate(declared(create, database), target));
  }

  /** What turns {@code existing}, another database's view of the same name, into {@code view}. */
  static Change[] replace(MaterializedView view, MaterializedView existing, DiffOutputControl control, Database database) {
    LiveView target = scoped(live(view), control);
    CreateMaterializedViewChange replace = declaration(view, target, control);
    replace.setReplaceIfExists(true);
    return withStatements(replace, Recreation.afterReconcile(declared(replace, database), scoped(live(existing), control),
        target));
  }

  /**
   * What drops {@code view}: readers come first (mview orders them), and {@code ifExists} because
   * {@code drop-all} drops tables with {@code CASCADE}, which may have taken the view already.
   */
  static Change[] drop(MaterializedView view) {
    DropMaterializedViewChange drop = new DropMaterializedViewChange();
    drop.setSchemaName(view.getSchema().getName());
    drop.setViewName(view.getName());
    drop.setIfExists(true);
    return new Change[] {drop};
  }

  private static CreateMaterializedViewChange declaration(MaterializedView view, LiveView live, DiffOutputControl control) {
    CreateMaterializedViewChange create = new CreateMaterializedViewChange();
    if (control.getIncludeCatalog() && view.getSchema() != null) {
      create.setCatalogName(view.getSchema().getCatalogName());
    }
    create.setSchemaName(live.name().schema());
    create.setViewName(live.name().name());
    create.setSelectQuery(live.toDefinition().query());
    if (!live.populated()) {
      create.setWithData(false);
    }
    create.setTablespace(live.tablespace());
    create.setComment(live.comment());
    uniqueKey(live).ifPresent(create::setUniqueKey);
    return create;
  }

  /**
   * The {@code uniqueKey} of {@code live}: the columns of the first unique index that
   * {@code uniqueKey} would create exactly, under the name it would give it (plain columns, no
   * predicate, default method), and whose names survive the comma-separated list.
   */
  static Optional<String> uniqueKey(LiveView live) {
    for (LiveIndex index : live.indexes()) {
      Optional<IndexDefinition> declared = Recreation.declaration(live.name(), index);
      if (declared.isEmpty() || !listable(declared.get().columns())) {
        continue;
      }
      IndexDefinition key = IndexDefinition.unique(declared.get().columns().toArray(String[]::new));
      if (declared.get().equals(key.withName(key.defaultName(live.name())))) {
        return Optional.of(String.join(", ", key.columns()));
      }
    }
    return Optional.empty();
  }

  private static boolean listable(List<String> columns) {
    return columns.stream().allMatch(column -> column.indexOf(',') < 0 && column.equals(column.strip()));
  }

  private static ViewDefinition declared(CreateMaterializedViewChange change, Database database) {
    try {
      return change.definition(database);
    } catch (MviewException e) {
      throw new UnexpectedLiquibaseException("mview cannot declare materialized view " + change.getSchemaName() + "."
          + change.getViewName() + ": " + e.getMessage(), e);
    }
  }

  private static Change[] withStatements(CreateMaterializedViewChange create, List<String> statements) {
    List<Change> changes = new ArrayList<>();
    changes.add(create);
    for (String statement : statements) {
      RawSQLChange sql = new RawSQLChange(statement);
      sql.setSplitStatements(false); // one statement, whatever its names and literals hold
      changes.add(sql);
    }
    return changes.toArray(new Change[0]);
  }

  private static LiveView live(MaterializedView view) {
    return view.live().orElseThrow(() -> new UnexpectedLiquibaseException("materialized view "
        + (view.getSchema() == null ? "" : view.getSchema().getName() + ".") + view.getName() + " comes from a snapshot file, which mview cannot turn into changes: compare with"
        + " the live database instead"));
  }

  /** The view as the run wants it: without tablespaces unless the run includes them. */
  private static LiveView scoped(LiveView live, DiffOutputControl control) {
    if (control.getIncludeTablespace()) {
      return live;
    }
    List<LiveIndex> indexes = new ArrayList<>();
    for (LiveIndex index : live.indexes()) {
      indexes.add(new LiveIndex(index.name(), index.definition(), index.unique(), index.partial(), index.columns(),
          index.method(), index.predicate(), null));
    }
    return new LiveView(live.name(), live.oid(), live.kind(), live.definition(), live.populated(), live.owner(), null,
        live.options(), live.comment(), live.columns(), live.columnComments(), indexes, live.grants(), live.ownerPrivileges(), live.triggers());
  }

  /** The view's name as mview holds it, if Liquibase's object names one. */
  static Optional<QualifiedName> nameOf(liquibase.structure.DatabaseObject object) {
    if (object.getName() == null || object.getSchema() == null || object.getSchema().getName() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(QualifiedName.of(object.getSchema().getName(), object.getName()));
    } catch (MviewException e) {
      return Optional.empty(); // not a name PostgreSQL could hold: not one of ours to order
    }
  }
}
