package dev.mview.liquibase;

import dev.mview.MviewException;
import dev.mview.liquibase.internal.PlanStatement;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewKind;
import dev.mview.plan.Plan;
import dev.mview.plan.Step;
import dev.mview.sql.Ddl;
import java.sql.Connection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import liquibase.change.Change;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.exception.RollbackImpossibleException;
import liquibase.exception.ValidationErrors;
import liquibase.statement.SqlStatement;

/**
 * {@code dropMaterializedView}: drops a materialized view. Without {@code cascade}, a view that
 * others read is not dropped; the error names the readers. Rollback recreates the view from the last
 * earlier {@code createMaterializedView} of it in the changelog.
 */
@DatabaseChange(name = "dropMaterializedView", description = "Drops a PostgreSQL materialized view",
    priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "view")
public class DropMaterializedViewChange extends SingleMaterializedViewChange {
  private Boolean ifExists;
  private Boolean cascade;

  /** An empty change, filled in by Liquibase's changelog parsers. */
  public DropMaterializedViewChange() {
    // properties are set one by one
  }

  /** Whether a missing view is fine (default false). */
  @DatabaseChangeProperty(description = "Do nothing when the view does not exist (default false)")
  public Boolean getIfExists() {
    return ifExists;
  }

  /** Sets whether a missing view is fine. */
  public void setIfExists(Boolean ifExists) {
    this.ifExists = ifExists;
  }

  /** Whether views that read this one are dropped too (default false). */
  @DatabaseChangeProperty(description = "Drop the views that read this one too, losing their indexes, grants and comments (default false)")
  public Boolean getCascade() {
    return cascade;
  }

  /** Sets whether dependents are dropped too. */
  public void setCascade(Boolean cascade) {
    this.cascade = cascade;
  }

  @Override
  public ValidationErrors validate(Database database) {
    ValidationErrors errors = new ValidationErrors(this);
    Changes.requirePostgres(errors, this, database);
    if (getViewName() == null || getViewName().isBlank()) {
      errors.addError("dropMaterializedView needs viewName: the name of the materialized view to drop");
    }
    return errors;
  }

  @Override
  public boolean generateStatementsVolatile(Database database) {
    // The dependents check reads the catalog at the moment the change runs.
    return Changes.liveConnection(database).isPresent();
  }

  @Override
  public SqlStatement[] generateStatements(Database database) {
    QualifiedName name = qualifiedName(database);
    boolean cascading = Changes.flag(cascade, false);
    try {
      Optional<Connection> live = Changes.liveConnection(database);
      if (live.isPresent() && !cascading) {
        LivePlans.requireNoDependents(live.get(), name, droppedBefore(database));
      }
      Step drop = new Step(Step.Action.DROP, name, cascading ? "dropMaterializedView with cascade" : "dropMaterializedView",
          List.of(Ddl.drop(name, ViewKind.MATERIALIZED_VIEW, Changes.flag(ifExists, false), cascading)), List.of());
      return new SqlStatement[] {new PlanStatement(Plan.of(List.of(drop)), null)};
    } catch (MviewException e) {
      throw Changes.failure(getChangeSet(), e);
    }
  }

  /**
   * The views that drops listed before this one, in the same changeset or the same rollback block,
   * will have dropped when this one runs. Liquibase generates the SQL of every change of a rollback
   * block before it runs any, so the catalog still shows them.
   */
  private Set<QualifiedName> droppedBefore(Database database) {
    Set<QualifiedName> dropped = new HashSet<>();
    ChangeSet changeSet = getChangeSet();
    if (changeSet == null) {
      return dropped;
    }
    for (List<Change> changes : List.of(changeSet.getChanges(), changeSet.getRollback().getChanges())) {
      int position = changes.indexOf(this);
      for (Change earlier : changes.subList(0, Math.max(position, 0))) {
        if (earlier instanceof DropMaterializedViewChange drop) {
          dropped.add(drop.qualifiedName(database));
        }
      }
    }
    return dropped;
  }

  @Override
  public boolean supportsRollback(Database database) {
    // Always offered: without an earlier definition, rollback fails with a message saying what to add.
    return true;
  }

  @Override
  public SqlStatement[] generateRollbackStatements(Database database) throws RollbackImpossibleException {
    Change[] inverses = inverses(database);
    if (inverses == null) {
      throw new RollbackImpossibleException(Changes.describe(getChangeSet()) + ": dropMaterializedView "
          + qualifiedName(database) + " cannot be rolled back automatically: no earlier createMaterializedView"
          + " of that view in this changelog holds its definition. Add a <rollback> to the changeset");
    }
    return inverses[0].generateStatements(database);
  }

  @Override
  protected Change[] createInverses() {
    return inverses(null);
  }

  private Change[] inverses(Database database) {
    try {
      return ChangelogHistory.lastCreate(this, qualifiedName(database), database)
          .map(previous -> new Change[] {previous.restoring(getChangeSet(), false)})
          .orElse(null);
    } catch (MviewException e) {
      throw Changes.failure(getChangeSet(), e);
    }
  }

  @Override
  public String getConfirmationMessage() {
    return "Materialized view " + getViewName() + " dropped";
  }
}
