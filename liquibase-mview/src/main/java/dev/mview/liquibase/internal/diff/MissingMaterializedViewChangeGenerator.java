package dev.mview.liquibase.internal.diff;

import dev.mview.liquibase.snapshot.MaterializedView;
import liquibase.change.Change;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.diff.compare.CompareControl;
import liquibase.diff.output.DiffOutputControl;
import liquibase.diff.output.changelog.AbstractChangeGenerator;
import liquibase.diff.output.changelog.ChangeGeneratorChain;
import liquibase.diff.output.changelog.MissingObjectChangeGenerator;
import liquibase.structure.DatabaseObject;
import liquibase.structure.core.Column;
import liquibase.structure.core.Sequence;
import liquibase.structure.core.StoredProcedure;
import liquibase.structure.core.Table;
import liquibase.structure.core.View;

/**
 * A materialized view the target lacks: {@code createMaterializedView} and the {@code sql} its
 * other indexes, options and column comments need, after the tables, sequences, functions and
 * views Liquibase creates, and in dependency order with the plain views around it (see
 * {@link DiffRun}). Registered in {@code META-INF/services/liquibase.diff.output.changelog.ChangeGenerator}.
 */
public final class MissingMaterializedViewChangeGenerator extends AbstractChangeGenerator
    implements MissingObjectChangeGenerator {

  /** Used by Liquibase's service loader. */
  public MissingMaterializedViewChangeGenerator() {
    // nothing to set up
  }

  @Override
  public int getPriority(Class<? extends DatabaseObject> objectType, Database database) {
    return MaterializedView.class.isAssignableFrom(objectType) && database instanceof PostgresDatabase
        ? PRIORITY_DEFAULT : PRIORITY_NONE;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Class<? extends DatabaseObject>[] runAfterTypes() {
    return new Class[] {Table.class, Column.class, Sequence.class, StoredProcedure.class, View.class};
  }

  @Override
  public Class<? extends DatabaseObject>[] runBeforeTypes() {
    return null;
  }

  @Override
  public Change[] fixMissing(DatabaseObject missingObject, DiffOutputControl control, Database referenceDatabase,
      Database comparisonDatabase, ChangeGeneratorChain chain) {
    Change[] changes = MaterializedViewChanges.create((MaterializedView) missingObject, control, referenceDatabase);
    return DiffRun.of(control, referenceDatabase, comparisonDatabase).created(missingObject, changes);
  }

  /** Left as they are: the queries name the reference's schemas, so the changes keep naming them too. */
  @Override
  public Change[] fixSchema(Change[] changes, CompareControl.SchemaComparison[] schemaComparisons) {
    return changes;
  }

  /** Left as they are, as {@link #fixSchema}. */
  @Override
  public Change[] fixOutputAsSchema(Change[] changes, CompareControl.SchemaComparison[] schemaComparisons) {
    return changes;
  }
}
