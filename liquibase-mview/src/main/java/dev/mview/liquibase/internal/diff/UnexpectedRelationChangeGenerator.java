package dev.mview.liquibase.internal.diff;

import liquibase.change.Change;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.diff.compare.CompareControl;
import liquibase.diff.output.DiffOutputControl;
import liquibase.diff.output.changelog.AbstractChangeGenerator;
import liquibase.diff.output.changelog.ChangeGeneratorChain;
import liquibase.diff.output.changelog.UnexpectedObjectChangeGenerator;
import liquibase.structure.DatabaseObject;
import liquibase.structure.core.Table;
import liquibase.structure.core.View;

/**
 * Puts the changes Liquibase makes for a table or plain view the reference lacks
 * ({@code dropTable}, {@code dropView}) in order with the materialized views around it (see
 * {@link DiffRun}): a table or view that a materialized view reads waits until that view is
 * dropped (so that {@code drop-all}'s {@code DROP TABLE ... CASCADE} never takes a view whose own
 * drop is still to come), a materialized view for the plain views that read it. It makes no change
 * of its own; the next generator in Liquibase's chain does. Registered in
 * {@code META-INF/services/liquibase.diff.output.changelog.ChangeGenerator}, ahead of Liquibase's
 * own on PostgreSQL.
 */
public final class UnexpectedRelationChangeGenerator extends AbstractChangeGenerator
    implements UnexpectedObjectChangeGenerator {

  /** Used by Liquibase's service loader. */
  public UnexpectedRelationChangeGenerator() {
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
  public Change[] fixUnexpected(DatabaseObject unexpectedObject, DiffOutputControl control, Database referenceDatabase,
      Database comparisonDatabase, ChangeGeneratorChain chain) {
    Change[] changes = chain.fixUnexpected(unexpectedObject, control, referenceDatabase, comparisonDatabase);
    return DiffRun.of(control, referenceDatabase, comparisonDatabase).dropped(unexpectedObject, changes);
  }

  /** Left as they are: the generator that made them has fixed their schemas already. */
  @Override
  public Change[] fixOutputAsSchema(Change[] changes, CompareControl.SchemaComparison[] schemaComparisons) {
    return changes;
  }
}
