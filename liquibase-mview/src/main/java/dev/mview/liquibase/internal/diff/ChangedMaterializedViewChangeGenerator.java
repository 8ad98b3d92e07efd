package dev.mview.liquibase.internal.diff;

import dev.mview.liquibase.snapshot.MaterializedView;
import liquibase.change.Change;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.diff.ObjectDifferences;
import liquibase.diff.compare.CompareControl;
import liquibase.diff.compare.DatabaseObjectComparatorFactory;
import liquibase.diff.output.DiffOutputControl;
import liquibase.diff.output.changelog.AbstractChangeGenerator;
import liquibase.diff.output.changelog.ChangeGeneratorChain;
import liquibase.diff.output.changelog.ChangedObjectChangeGenerator;
import liquibase.exception.UnexpectedLiquibaseException;
import liquibase.structure.DatabaseObject;
import liquibase.structure.core.Table;
import liquibase.structure.core.View;

/**
 * A materialized view that differs between the databases: {@code createMaterializedView} with
 * {@code replaceIfExists="true"} and the reference's declaration (mview replaces the view with the
 * views that read it, or alters it where only a comment or the unique key changed), then the
 * {@code sql} that makes its indexes, options and column comments those of the reference.
 * Registered in {@code META-INF/services/liquibase.diff.output.changelog.ChangeGenerator}.
 */
public final class ChangedMaterializedViewChangeGenerator extends AbstractChangeGenerator
    implements ChangedObjectChangeGenerator {

  /** Used by Liquibase's service loader. */
  public ChangedMaterializedViewChangeGenerator() {
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
    return new Class[] {Table.class, View.class};
  }

  @Override
  public Class<? extends DatabaseObject>[] runBeforeTypes() {
    return null;
  }

  @Override
  public Change[] fixChanged(DatabaseObject changedObject, ObjectDifferences differences, DiffOutputControl control,
      Database referenceDatabase, Database comparisonDatabase, ChangeGeneratorChain chain) {
    MaterializedView reference = (MaterializedView) changedObject;
    MaterializedView existing = DiffRun.of(control, referenceDatabase, comparisonDatabase)
        .compared(candidate -> DatabaseObjectComparatorFactory.getInstance().isSameObject(reference, candidate,
            control.getSchemaComparisons(), referenceDatabase))
        .orElseThrow(() -> new UnexpectedLiquibaseException("mview cannot find materialized view "
            + reference.getSchema().getName() + "." + reference.getName() + " in the compared database"));
    if (!existing.getSchema().getName().equals(reference.getSchema().getName())) {
      throw new UnexpectedLiquibaseException("materialized view " + reference.getName() + " differs between schemas "
          + reference.getSchema().getName() + " and " + existing.getSchema().getName() + ": mview turns differences of"
          + " materialized views into changes only between schemas of the same name, since their queries name"
          + " their schemas");
    }
    return MaterializedViewChanges.replace(reference, existing, control, referenceDatabase);
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
