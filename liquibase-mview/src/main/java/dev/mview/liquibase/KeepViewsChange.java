package dev.mview.liquibase;

import dev.mview.MviewException;
import dev.mview.liquibase.internal.PlanStatement;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import dev.mview.plan.Plan;
import dev.mview.plan.ReconcileOptions;
import dev.mview.plan.Reconciler;
import dev.mview.plan.TableChange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.ChangeFactory;
import liquibase.change.ChangeMetaData;
import liquibase.change.CheckSum;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.exception.RollbackImpossibleException;
import liquibase.exception.UnexpectedLiquibaseException;
import liquibase.exception.ValidationErrors;
import liquibase.parser.core.ParsedNode;
import liquibase.parser.core.ParsedNodeException;
import liquibase.resource.ResourceAccessor;
import liquibase.sql.Sql;
import liquibase.sqlgenerator.SqlGeneratorFactory;
import liquibase.statement.SqlStatement;

/**
 * {@code keepViews}: runs the changes it holds — Liquibase's own {@code modifyDataType},
 * {@code dropColumn}, {@code renameColumn}, {@code addColumn}, {@code sql} and the like — with the
 * views in their way dropped before them and built again after them, everything they carry kept,
 * in the changeset's transaction.
 *
 * <pre>{@code
 * <mview:keepViews>
 *   <modifyDataType tableName="orders" columnName="amount" newDataType="numeric(12,2)"/>
 * </mview:keepViews>
 * }</pre>
 *
 * <p>In the way are the views (plain or materialized, made by any means) that read a column whose
 * type a change alters or that it drops, and what reads them; a rename or a new column rebuilds
 * nothing. An {@code sql} change mview cannot read needs the tables it changes named in
 * {@code relations}. The {@code createMaterializedView} changes of the same changeset count as the
 * new definitions of their views: a reader of a dropped column is rebuilt from its declaration.
 *
 * <p>Rollback runs the inverses of the changes it holds (last first) with the same protection;
 * a change without an automatic inverse ({@code modifyDataType}, {@code sql}) needs a
 * {@code <rollback>} holding a {@code keepViews} of its own.
 */
@DatabaseChange(name = "keepViews",
    description = "Runs the column changes it holds with the views in their way dropped before and rebuilt after",
    priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "table")
public class KeepViewsChange extends MaterializedViewChange {
  private String relations;
  private final List<Change> changes = new ArrayList<>();

  /** An empty change, filled in by Liquibase's changelog parsers. */
  public KeepViewsChange() {
    // properties are set one by one
  }

  /** The tables that held {@code sql} changes change ({@code schema.name}, comma-separated); may be null. */
  @DatabaseChangeProperty(description = "Tables an sql change it holds changes (schema.table, comma-separated):"
      + " every view reading them is rebuilt")
  public String getRelations() {
    return relations;
  }

  /** Sets the tables that held {@code sql} changes change. */
  public void setRelations(String relations) {
    this.relations = relations;
  }

  /** The changes it holds, in order. */
  public List<Change> getChanges() {
    return Collections.unmodifiableList(changes);
  }

  /** Adds a change to hold. */
  public void addChange(Change change) {
    changes.add(change);
  }

  @Override
  boolean takes(ParsedNode child) {
    return "changes".equals(child.getName()) || isChange(child.getName());
  }

  private static boolean isChange(String name) {
    return Scope.getCurrentScope().getSingleton(ChangeFactory.class).getDefinedChanges().contains(name);
  }

  /** Reads the held changes: child elements (XML), or a {@code changes} list (YAML, JSON). */
  @Override
  protected void customLoadLogic(ParsedNode parsedNode, ResourceAccessor resourceAccessor) throws ParsedNodeException {
    super.customLoadLogic(parsedNode, resourceAccessor);
    for (ParsedNode child : parsedNode.getChildren()) {
      if ("changes".equals(child.getName())) {
        for (ParsedNode nested : child.getChildren()) {
          hold(nested, resourceAccessor);
        }
      } else if (isChange(child.getName())) {
        hold(child, resourceAccessor);
      }
    }
  }

  private void hold(ParsedNode node, ResourceAccessor resourceAccessor) throws ParsedNodeException {
    Change change = Scope.getCurrentScope().getSingleton(ChangeFactory.class).create(node.getName());
    if (change == null) {
      throw new ParsedNodeException("keepViews holds '" + node.getName() + "', which is not a Liquibase change");
    }
    change.load(node, resourceAccessor);
    changes.add(change);
  }

  @Override
  public ValidationErrors validate(Database database) {
    ValidationErrors errors = new ValidationErrors();
    Changes.requirePostgres(errors, this, database);
    rejectUnknownProperties(errors);
    if (changes.isEmpty()) {
      errors.addError("keepViews holds no change: put the column changes (modifyDataType, dropColumn, sql, ...)"
          + " inside it");
    }
    for (Change change : changes) {
      if (change instanceof MaterializedViewChange) {
        errors.addError("keepViews holds " + change.getSerializedObjectName() + ": it holds table changes only;"
            + " put mview changes beside it in the changeset");
      } else {
        change.setChangeSet(getChangeSet());
        errors.addAll(change.validate(database));
      }
    }
    return errors;
  }

  @Override
  public SqlStatement[] generateStatements(Database database) {
    try {
      List<SqlStatement> statements = new ArrayList<>();
      for (Change change : changes) {
        change.setChangeSet(getChangeSet());
        statements.addAll(Arrays.asList(change.generateStatements(database)));
      }
      return plan(database, sqlOf(statements, database), false);
    } catch (MviewException e) {
      throw failure(e);
    }
  }

  @Override
  public boolean supportsRollback(Database database) {
    return changes.stream().allMatch(change -> change.supportsRollback(database));
  }

  /** The inverses of the held changes, last first, with the same views kept around them. */
  @Override
  public SqlStatement[] generateRollbackStatements(Database database) throws RollbackImpossibleException {
    List<Change> reversed = new ArrayList<>(changes);
    Collections.reverse(reversed);
    for (Change change : reversed) {
      if (!change.supportsRollback(database)) {
        throw new RollbackImpossibleException(Changes.describe(getChangeSet()) + ": keepViews holds "
            + change.getSerializedObjectName() + ", which Liquibase cannot roll back automatically. Add a <rollback>"
            + " to the changeset holding a keepViews with the change that undoes it");
      }
    }
    List<SqlStatement> statements = new ArrayList<>();
    for (Change change : reversed) {
      change.setChangeSet(getChangeSet());
      statements.addAll(Arrays.asList(change.generateRollbackStatements(database)));
    }
    try {
      return plan(database, sqlOf(statements, database), true);
    } catch (MviewException e) {
      throw failure(e);
    }
  }

  /** A shared-model error, with what to change in the changelog where a column that views read is dropped. */
  private UnexpectedLiquibaseException failure(MviewException e) {
    return e.kind() == MviewException.Kind.HAS_DEPENDENTS ? Changes.failure(getChangeSet(), e, "In a changelog:"
        + " redeclare the view with a createMaterializedView (replaceIfExists=\"true\") in the same changeset")
        : Changes.failure(getChangeSet(), e);
  }

  /** The SQL of {@code statements}, one statement each, in order. */
  private static List<String> sqlOf(List<SqlStatement> statements, Database database) {
    List<String> sql = new ArrayList<>();
    for (SqlStatement statement : statements) {
      for (Sql generated : SqlGeneratorFactory.getInstance().generateSql(statement, database)) {
        sql.add(generated.toSql());
      }
    }
    return sql;
  }

  /**
   * The plan that runs {@code sql} with the views in its way rebuilt, together with the
   * changeset's (or rollback block's) {@code createMaterializedView} definitions. Where there is no
   * catalog to plan from (offline, or changes printed before it and not applied), the statements
   * are printed alone, saying the views around them are not known.
   */
  private SqlStatement[] plan(Database database, List<String> sql, boolean rollingBack) {
    TableChange.Builder change = TableChange.builder();
    sql.forEach(change::statement);
    if (relations != null && !relations.isBlank()) {
      Arrays.stream(relations.split(",")).map(String::strip).filter(name -> !name.isEmpty()).forEach(change::relation);
    }
    TableChange tableChange = change.build();
    Planning planning = Planning.of(this, database, rollingBack, (catalog, touched) -> !touched.isEmpty());
    if (!planning.live()) {
      return new SqlStatement[] {PlanStatement.of(Plan.empty(), planning.note() + "; keepViews cannot know the"
          + " views around its changes, so it runs them alone", List.of(new PlanStatement.Section(
              "keepViews: the changes it holds", tableChange.statements())))};
    }
    Plan plan = Reconciler.planTableChange(planning.connection(), tableChange, declared(database, rollingBack),
        ReconcileOptions.defaults());
    return new SqlStatement[] {PlanStatement.of(plan, null)};
  }

  /** The createMaterializedView definitions beside this change (its changeset's changes, or its rollback block's). */
  private ViewModel declared(Database database, boolean rollingBack) {
    ChangeSet changeSet = getChangeSet();
    List<ViewDefinition> definitions = new ArrayList<>();
    if (changeSet != null && !rollingBack) {
      List<Change> beside = changeSet.getChanges().contains(this) ? changeSet.getChanges()
          : changeSet.getRollback().getChanges();
      for (Change other : beside) {
        if (other instanceof CreateMaterializedViewChange create) {
          definitions.add(create.definition(database));
        }
      }
    }
    return ViewModel.of(definitions);
  }

  @Override
  public CheckSum generateCheckSum() {
    // The held changes are the change: editing one must change the checksum.
    StringBuilder text = new StringBuilder(super.generateCheckSum().toString());
    changes.forEach(change -> text.append(':').append(change.generateCheckSum()));
    return CheckSum.compute(text.toString());
  }

  @Override
  public String getConfirmationMessage() {
    return changes.size() + (changes.size() == 1 ? " change" : " changes") + " run with the views around them kept";
  }
}
