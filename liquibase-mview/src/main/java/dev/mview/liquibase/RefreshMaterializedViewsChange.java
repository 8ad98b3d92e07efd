package dev.mview.liquibase;

import dev.mview.MviewException;
import dev.mview.liquibase.internal.PlanStatement;
import dev.mview.model.IndexDefinition;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import dev.mview.plan.Plan;
import dev.mview.plan.Step;
import dev.mview.refresh.Refresher;
import dev.mview.sql.Ddl;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import liquibase.change.Change;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
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
  private static final Set<String> CONCURRENTLY_VALUES = Set.of("auto", "true", "false");

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
    if (concurrently != null && !CONCURRENTLY_VALUES.contains(concurrently.strip().toLowerCase(Locale.ROOT))) {
      errors.addError("refreshMaterializedViews has concurrently='" + concurrently
          + "': expected auto, true or false");
    } else if ("true".equals(mode()) && !Changes.flag(withData, true)) {
      errors.addError("refreshMaterializedViews cannot refresh concurrently with withData=\"false\":"
          + " PostgreSQL cannot empty a view concurrently; use concurrently=\"false\" or \"auto\"");
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
    return Changes.liveConnection(database).isPresent();
  }

  @Override
  public SqlStatement[] generateStatements(Database database) {
    try {
      Optional<Connection> live = Changes.liveConnection(database);
      if (live.isPresent()) {
        return statement(liveRefresh(live.get(), database), null);
      }
      return statement(offlineRefresh(database), "mview: planned offline from the definitions in this changelog"
          + " (views, order, and CONCURRENTLY where a view was created populated with a uniqueKey)");
    } catch (MviewException e) {
      if ("true".equals(mode())) {
        // The engine speaks of its options; say what they are called here.
        throw Changes.failure(getChangeSet(), new MviewException(e.getMessage()
            + ". With concurrently=\"true\" the refresh must not block readers; concurrently=\"auto\""
            + " falls back to a plain refresh instead", e));
      }
      throw Changes.failure(getChangeSet(), e);
    }
  }

  private Plan liveRefresh(Connection connection, Database database) {
    String schema = schema(database);
    List<QualifiedName> selected = viewNames == null ? List.of() : names(schema);
    return LivePlans.refresh(connection, schema, selected, mode(), Changes.flag(withData, true),
        Changes.flag(includeUpstream, false), Changes.flag(includeDownstream, false));
  }

  /** The refresh as far as the changelog tells: its views, ordered by their definitions' dependencies. */
  private Plan offlineRefresh(Database database) {
    List<ViewDefinition> known = new ArrayList<>();
    ChangelogHistory.existing(this, database).forEach(create -> known.add(create.definition(database)));
    ViewModel model = ViewModel.of(known);
    String schema = schema(database);
    Set<QualifiedName> selected = new LinkedHashSet<>();
    if (viewNames == null) {
      known.stream().map(ViewDefinition::name).filter(name -> name.schema().equals(schema)).forEach(selected::add);
    } else {
      selected.addAll(names(schema));
    }
    Set<QualifiedName> modelled = new LinkedHashSet<>(selected);
    modelled.retainAll(model.graph().nodes());
    if (Changes.flag(includeUpstream, false)) {
      modelled.addAll(model.graph().upstreamClosure(modelled));
    }
    if (Changes.flag(includeDownstream, false)) {
      modelled.addAll(model.graph().downstreamClosure(modelled));
    }
    // Views the changelog did not create come first: they can only be read by the ones it did.
    List<QualifiedName> ordered = new ArrayList<>(selected);
    ordered.removeAll(modelled);
    model.graph().order(modelled).stream().filter(name -> model.view(name).isPresent()).forEach(ordered::add);
    List<Step> steps = new ArrayList<>();
    for (QualifiedName name : ordered) {
      boolean concurrent = offlineConcurrently(model.view(name));
      steps.add(new Step(Step.Action.REFRESH, name, concurrent ? "concurrently: created populated with a unique key"
              : "plain (concurrently=" + mode() + ")",
          List.of(Refresher.transactionLock(name), Ddl.refresh(name, concurrent, Changes.flag(withData, true))),
          List.of()));
    }
    return Plan.of(steps);
  }

  private boolean offlineConcurrently(Optional<ViewDefinition> definition) {
    return switch (mode()) {
      case "true" -> true;
      case "false" -> false;
      default -> Changes.flag(withData, true) && definition.isPresent() && definition.get().withData()
          && definition.get().indexes().stream().anyMatch(IndexDefinition::allowsConcurrentRefresh);
    };
  }

  private static SqlStatement[] statement(Plan plan, String note) {
    return new SqlStatement[] {new PlanStatement(plan, note)};
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

  private String mode() {
    return concurrently == null ? "auto" : concurrently.strip().toLowerCase(Locale.ROOT);
  }

  private String schema(Database database) {
    return Changes.name(database, getSchemaName(), "unused").schema();
  }

  private List<String> names() {
    return Arrays.stream(viewNames.split(",")).map(String::strip).filter(name -> !name.isEmpty())
        .collect(Collectors.toList());
  }

  private List<QualifiedName> names(String schema) {
    return names().stream().map(name -> QualifiedName.of(schema, name)).collect(Collectors.toList());
  }
}
