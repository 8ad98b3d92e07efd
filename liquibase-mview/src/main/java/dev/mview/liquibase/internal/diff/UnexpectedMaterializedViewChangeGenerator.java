package dev.mview.liquibase.internal.diff;

import dev.mview.liquibase.snapshot.MaterializedView;
import liquibase.change.Change;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.diff.compare.CompareControl;
import liquibase.diff.output.DiffOutputControl;
import liquibase.diff.output.changelog.AbstractChangeGenerator;
import liquibase.diff.output.changelog.ChangeGeneratorChain;
import liquibase.diff.output.changelog.UnexpectedObjectChangeGenerator;
import liquibase.structure.DatabaseObject;
import liquibase.structure.core.Column;
import liquibase.structure.core.Sequence;
import liquibase.structure.core.StoredProcedure;
import liquibase.structure.core.Table;
import liquibase.structure.core.View;

/**
 * A materialized view the reference lacks: {@code dropMaterializedView}, before the tables and
 * views it reads and after the views that read it (see {@link DiffRun}); {@code drop-all} uses it
 * too. Registered in {@code META-INF/services/liquibase.diff.output.changelog.ChangeGenerator}.
 */
public final class UnexpectedMaterializedViewChangeGenerator extends AbstractChangeGenerator
    implements UnexpectedObjectChangeGenerator {

  /** Used by Liquibase's service loader. */
  public UnexpectedMaterializedViewChangeGenerator() {
    // nothing to set up
  }

  @Override
  public int getPriority(Class<? extends DatabaseObject> objectType, Database database) {
    return MaterializedView.class.isAssignableFrom(objectType) && database instanceof PostgresDatabase
        ? PRIORITY_DEFAULT : PRIORITY_NONE;
  }

  @Override
  public Class<? extends DatabaseObject>[] runAfterTypes() {
    return null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Class<? extends DatabaseObject>[] runBeforeTypes() {
    return new Class[] {Table.class, Column.class, Sequence.class, StoredProcedure.class, View.class};
  }

  @Override
  public Change[] fixUnexpected(DatabaseObject unexpectedObject, DiffOutputControl control, Database referenceDatabase,
      Database comparisonDatabase, ChangeGeneratorChain chain) {
    Change[] changes = MaterializedViewChanges.drop((MaterializedView) unexpectedObject);
    return DiffRun.of(control, referenceDatabase, comparisonDatabase).dropped(unexpectedObject, changes);
  }

  /** Left as they are: a drop names the view where it is. */
  @Override
  public Change[] fixOutputAsSchema(Change[] changes, CompareControl.SchemaComparison[] schemaComparisons) {
    return changes;
  }
}
