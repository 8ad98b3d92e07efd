package dev.mview.liquibase;

import dev.mview.MviewException;
import dev.mview.catalog.Catalog;
import dev.mview.liquibase.internal.DropJournal;
import dev.mview.liquibase.internal.PlanStatement;
import dev.mview.model.QualifiedName;
import dev.mview.plan.Planner;
import dev.mview.refresh.RefreshHistory;
import dev.mview.refresh.RefreshMode;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.RefreshPlan;
import dev.mview.refresh.Refresher;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import liquibase.change.Change;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.ValidationErrors;
import liquibase.statement.SqlStatement;

/**
 * {@code refreshMaterializedViews}: refreshes materialized views in dependency order, concurrently
 * where that works. Meant for {@code runAlways} or {@code runOnChange} changesets; its rollback does
 * nothing, so rollbacks pass through it.
 *
 * <pre>{@code
 * <changeSet id="refresh" author="me" runAlways="true">
 *   <mview:refreshMaterializedViews schemaName="analytics"/>
 * </changeSet>
 * }</pre>
 */
@DatabaseChange(name = "refreshMaterializedViews",
    description = "Refreshes PostgreSQL materialized views in dependency order, concurrently where possible",
    priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "view")
public class RefreshMaterializedViewsChange extends MaterializedViewChange {
  private String viewNames;
  private String concurrently;
  private Boolean withData;
  private Boolean includeUpstream;
  private Boolean includeDownstream;

  /** An empty change, filled in by Liquibase's changelog parsers. */
  public RefreshMaterializedViewsChange() {
    // properties are set one by one
  }

  /** Comma-separated names of the views (as stored); every materialized view of the schema when null. */
  @DatabaseChangeProperty(description = "Comma-separated view names (default: every materialized view of the schema)",
      exampleValue = "daily_sales, weekly_sales")
  public String getViewNames() {
    return viewNames;
  }

  /** Sets the view names. */
  public void setViewNames(String viewNames) {
    this.viewNames = viewNames;
  }

  /** {@code auto} (default: concurrently where the view allows it), {@code true} (always, or fail) or {@code false}. */
  @DatabaseChangeProperty(description = "auto (default), true or false: refresh CONCURRENTLY where possible, always, or never",
      exampleValue = "auto")
  public String getConcurrently() {
    return concurrently;
  }

  /** Sets the concurrency mode. */
  public void setConcurrently(String concurrently) {
    this.concurrently = concurrently;
  }

  /** False empties the views instead ({@code WITH NO DATA}); default true. */
  @DatabaseChangeProperty(description = "false leaves the views unpopulated (WITH NO DATA); default true")
  public Boolean getWithData() {
    return withData;
  }

  /** Sets whether the views are populated. */
  public void setWithData(Boolean withData) {
    this.withData = withData;
  }

  /** Whether the materialized views the named ones read are refreshed first (default false). */
  @DatabaseChangeProperty(description = "Also refresh, first, the materialized views the named ones read (default false)")
  public Boolean getIncludeUpstream() {
    return includeUpstream;
  }

  /** Sets whether upstream views are refreshed too. */
  public void setIncludeUpstream(Boolean includeUpstream) {
    this.includeUpstream = includeUpstream;
  }

  /** Whether the materialized views that read the named ones are refreshed after them (default false). */
  @DatabaseChangeProperty(description = "Also refresh, afterwards, the materialized views that read the named ones (default false)")
  public Boolean getIncludeDownstream() {
    return includeDownstream;
  }

  /** Sets whether downstream views are refreshed too. */
  public void setIncludeDownstream(Boolean includeDownstream) {
    this.includeDownstream = includeDownstream;
  }

  @Override
  public ValidationErrors validate(Database database) {
    ValidationErrors errors = new ValidationErrors(this);
    Changes.requirePostgres(errors, this, database);
    rejectUnknownProperties(errors);
    RefreshMode mode = mode();
    if (mode == null) {
      errors.addError("refreshMaterializedViews has concurrently='" + concurrently
          + "': expected auto, true or false");
    } else {
      try {
        options(database, mode);
      } catch (MviewException e) {
        errors.addError("refreshMaterializedViews cannot refresh concurrently=\"" + concurrently + "\" with withData=\""
            + withData + "\": " + e.getMessage());
      }
    }
    if (viewNames != null && names().isEmpty()) {
      errors.addError("refreshMaterializedViews has viewNames='" + viewNames
          + "' naming no view: list names separated by commas, or leave viewNames out for the whole schema");
    }
    return errors;
  }

  @Override
  public boolean generateStatementsVolatile(Database database) {
    // Which views, their order and mode come from the catalog at the moment the change runs.
    return database.getConnection() instanceof JdbcConnection;
  }

  @Override
  public SqlStatement[] generateStatements(Database database) {
    try {
      RefreshOptions options = options(database, mode());
      Planning planning = Planning.of(this, database, false, (catalog, touched) -> affects(catalog, options, touched));
      RefreshPlan plan = planning.live() ? Refresher.plan(planning.connection(), options)
          : Refresher.planOffline(ChangelogHistory.earlierModel(this, database), options);
      // recorded beside Liquibase's own history, in the changeset's transaction
      RefreshHistory history = options.history().beside(DropJournal.of(database).table().schema(), "liquibase");
      return new SqlStatement[] {PlanStatement.of(Planner.refresh(plan, history, options.withData()), planning.note())};
    } catch (MviewException e) {
      throw Changes.failure(getChangeSet(), e);
    }
  }

  /**
   * Whether relations that pending changes touch change what a refresh planned from
   * {@code catalog} would do: one of the views it refreshes, a view in a schema it refreshes whole,
   * or any view at all when the set is widened up- or downstream.
   */
  private static boolean affects(Catalog catalog, RefreshOptions options, Set<QualifiedName> touched) {
    if (options.includeUpstream() || options.includeDownstream()) {
      return true;
    }
    Set<QualifiedName> planned = new HashSet<>(Refresher.plan(catalog, options).views());
    return touched.stream().anyMatch(name -> planned.contains(name) || options.views().contains(name)
        || options.schemas().contains(name.schema()));
  }

  /** The engine's options for this change: {@code concurrently} is the refresh mode. */
  private RefreshOptions options(Database database, RefreshMode mode) {
    String schema = Changes.name(database, getSchemaName(), "unused").schema();
    RefreshOptions.Builder options = RefreshOptions.builder()
        .mode(mode)
        .withData(Changes.flag(withData, true))
        .includeUpstream(Changes.flag(includeUpstream, false))
        .includeDownstream(Changes.flag(includeDownstream, false));
    if (viewNames == null) {
      options.schemas(schema);
    } else {
      names().forEach(name -> options.views(QualifiedName.of(schema, name)));
    }
    return options.build();
  }

  /** {@code concurrently}: auto (the default), true or false; null when it is none of those. */
  private RefreshMode mode() {
    String value = concurrently == null ? "auto" : concurrently.strip().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "auto" -> RefreshMode.AUTO;
      case "true" -> RefreshMode.CONCURRENTLY;
      case "false" -> RefreshMode.PLAIN;
      default -> null;
    };
  }

  @Override
  protected Change[] createInverses() {
    // A refresh changes data, not structure: nothing to undo, and rollback passes through.
    return new Change[0];
  }

  @Override
  public String getConfirmationMessage() {
    return "Materialized views " + (viewNames == null ? "of schema " + (getSchemaName() == null ? "(default)" : getSchemaName())
        : viewNames) + " refreshed";
  }

  private List<String> names() {
    return Arrays.stream(viewNames.split(",")).map(String::strip).filter(name -> !name.isEmpty())
        .collect(Collectors.toList());
  }
}
