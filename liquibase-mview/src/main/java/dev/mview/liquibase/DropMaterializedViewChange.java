package dev.mview.liquibase;

import dev.mview.MviewException;
import dev.mview.liquibase.internal.DropJournal;
import dev.mview.liquibase.internal.PlanStatement;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewModel;
import dev.mview.plan.Plan;
import dev.mview.plan.ReconcileOptions;
import dev.mview.plan.Reconciler;
import java.util.Collections;
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
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.RollbackImpossibleException;
import liquibase.exception.ValidationErrors;
import liquibase.statement.SqlStatement;

/**
 * {@code dropMaterializedView}: drops a materialized view. Without {@code cascade}, a view that
 * others read is not dropped; the error names the readers. With it, each reader is dropped by name
 * first. Rollback recreates everything the drop removed, as it was when the drop ran (kept in a
 * journal beside {@code databasechangelog}); a drop planned offline is rolled back from the last
 * earlier {@code createMaterializedView} of the view in the changelog.
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

  /** Whether views that read this one are dropped too, each by name (default false). */
  @DatabaseChangeProperty(description = "Drop the views that read this one too, each by name; rollback recreates them with their indexes, comments and grants (default false)")
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
    rejectUnknownProperties(errors);
    if (getViewName() == null || getViewName().isBlank()) {
      errors.addError("dropMaterializedView needs viewName: the name of the materialized view to drop");
    }
    return errors;
  }

  @Override
  public boolean generateStatementsVolatile(Database database) {
    // The readers, and what the inverse recreates, come from the catalog at the moment the change runs.
    return database.getConnection() instanceof JdbcConnection;
  }

  @Override
  public SqlStatement[] generateStatements(Database database) {
    try {
      ReconcileOptions options = options(database);
      ViewModel none = ViewModel.of();
      Planning planning = Planning.of(this, database, false,
          (catalog, touched) -> !Collections.disjoint(Reconciler.inputs(catalog, none, options), touched));
      if (!planning.live()) {
        return new SqlStatement[] {PlanStatement.of(Reconciler.planOffline(ChangelogHistory.earlierModel(this, database),
            none, options), planning.note())};
      }
      Plan plan = Reconciler.plan(planning.connection(), none, options);
      List<PlanStatement.Section> journal = plan.isEmpty() || journalKey() < 0 ? List.of()
          : DropJournal.of(database).record(getChangeSet(), journalKey(), plan);
      return new SqlStatement[] {PlanStatement.of(plan, null, journal)};
    } catch (MviewException e) {
      throw Changes.failure(getChangeSet(), e);
    }
  }

  /**
   * The drop of this view, of what reads it with {@code cascade}, and nothing when it is missing
   * with {@code ifExists}; views that earlier drops of the same changeset or rollback block remove
   * are taken as gone.
   */
  private ReconcileOptions options(Database database) {
    return ReconcileOptions.builder()
        .dropMaterialized(qualifiedName(database))
        .cascadeDrops(Changes.flag(cascade, false))
        .requireDropsExist(!Changes.flag(ifExists, false))
        .alreadyDropped(droppedBefore(database).toArray(QualifiedName[]::new))
        .build();
  }

  /**
   * Where the journal keeps this drop: its position in its changeset, or -1 when it has none. A
   * changeset outside a changelog (those {@code drop-all} runs) keeps no journal: there is no
   * changelog to roll back, and the journal table would outlive the drop.
   */
  private int journalKey() {
    return getChangeSet() == null || getChangeSet().getChangeLog() == null ? -1 : getChangeSet().getChanges().indexOf(this);
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

  /**
   * Recreates what the drop removed: as the journal captured it when the drop ran (the view and
   * any readers a cascade dropped, with their indexes, comments, owner and grants), or, where there
   * is no journal row (planned offline), from the last earlier {@code createMaterializedView} of the
   * view in the changelog.
   */
  @Override
  public SqlStatement[] generateRollbackStatements(Database database) throws RollbackImpossibleException {
    Optional<List<String>> journaled = database.getConnection() instanceof JdbcConnection jdbc && journalKey() >= 0
        ? DropJournal.of(database).inverse(jdbc.getUnderlyingConnection(), getChangeSet(), journalKey())
        : Optional.empty();
    if (journaled.isPresent()) {
      DropJournal journal = DropJournal.of(database);
      return new SqlStatement[] {PlanStatement.of(Plan.empty(), null, List.of(
          new PlanStatement.Section("undo drop " + qualifiedName(database) + ": recreate what it dropped, as"
              + " journaled when it ran", journaled.get()),
          journal.forget(getChangeSet(), journalKey())))};
    }
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
          .map(previous -> new Change[] {previous.restoring(this)})
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
