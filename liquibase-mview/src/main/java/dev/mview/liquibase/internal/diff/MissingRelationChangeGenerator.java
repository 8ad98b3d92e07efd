package dev.mview.liquibase.internal.diff;

import liquibase.change.Change;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.diff.compare.CompareControl;
import liquibase.diff.output.DiffOutputControl;
import liquibase.diff.output.changelog.AbstractChangeGenerator;
import liquibase.diff.output.changelog.ChangeGeneratorChain;
import liquibase.diff.output.changelog.MissingObjectChangeGenerator;
import liquibase.structure.DatabaseObject;
import liquibase.structure.core.Table;
import liquibase.structure.core.View;

/**
 * Puts the changes Liquibase makes for a missing table or plain view ({@code createTable},
 * {@code createView}) in order with the materialized views around it (see {@link DiffRun}): a
 * materialized view waits for the tables and views it reads, a plain view for the materialized
 * views it reads. It makes no change of its own; the next generator in Liquibase's chain does.
 * Registered in {@code META-INF/services/liquibase.diff.output.changelog.ChangeGenerator}, ahead of
 * Liquibase's own on PostgreSQL.
 */
public final class MissingRelationChangeGenerator extends AbstractChangeGenerator implements MissingObjectChangeGenerator {

  /** Used by Liquibase's service loader. */
  public MissingRelationChangeGenerator() {
    // nothing to set up
  }

  @Override
  public int getPriority(Class<? extends DatabaseObject> objectType, Database database) {
    return (Table.class.isAssignableFrom(objectType) || View.class.isAssignableFrom(objectType))
        && database instanceof PostgresDatabase ? PRIORITY_ADDITIONAL : PRIORITY_NONE;
  }

  @Override
  public Class<? extends DatabaseObject>[] runAfterTypes() {
    return null;
  }

  @Override
  public Class<? extends DatabaseObject>[] runBeforeTypes() {
    return null;
  }

  @Override
  public Change[] fixMissing(DatabaseObject missingObject, DiffOutputControl control, Database referenceDatabase,
      Database comparisonDatabase, ChangeGeneratorChain chain) {
    Change[] changes = chain.fixMissing(missingObject, control, referenceDatabase, comparisonDatabase);
    return DiffRun.of(control, referenceDatabase, comparisonDatabase).created(missingObject, changes);
  }

  /** Left as they are: the generator that made them has fixed their schemas already. */
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
