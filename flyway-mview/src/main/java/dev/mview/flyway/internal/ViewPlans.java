package dev.mview.flyway.internal;

import dev.mview.MviewException;
import dev.mview.catalog.Catalog;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import dev.mview.plan.Plan;
import dev.mview.plan.ReconcileOptions;
import dev.mview.plan.Reconciler;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.Refresher;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.api.configuration.Configuration;

/**
 * The one door from the Flyway front end to the shared model's planner and refresher: the front
 * end translates, the shared model decides what to create, replace, drop and refresh, and in which
 * order.
 */
public final class ViewPlans {
  private ViewPlans() {}

  /**
   * The plan that brings the database to {@code declaration}: create what is missing, replace what
   * changed (with its dependents; with {@code online}, built beside the live views and swapped in
   * at the end), drop what is declared dropped, and make its table change with the views in its
   * way rebuilt around it. Empty when nothing differs. {@code catalog} is the
   * database as read just before, on {@code connection}.
   */
  public static Plan reconcile(Connection connection, Catalog catalog, Declaration declaration, boolean online) {
    ReconcileOptions options = ReconcileOptions.builder()
        .drop(declaration.drops().toArray(QualifiedName[]::new))
        .online(online)
        .build();
    return declaration.tableChange() == null ? Reconciler.plan(connection, catalog, declaration.model(), options)
        : Reconciler.planTableChange(connection, catalog, declaration.tableChange(), declaration.model(), options);
  }

  /**
   * Refreshes the materialized views of {@code model}, plus whatever {@code options} names, each
   * after those it reads, on the caller's connection (inside its transaction). Fails, naming the
   * views, when one cannot be refreshed; does nothing when there is nothing to refresh.
   */
  public static void refresh(Connection connection, Configuration configuration, ViewModel model,
      RefreshOptions options, String ranBy) {
    RefreshOptions.Builder targets = options.toBuilder();
    model.createOrder().stream().filter(ViewDefinition::isMaterialized)
        .forEach(view -> targets.views(view.name()));
    RefreshOptions effective = targets.build();
    if (!effective.views().isEmpty() || !effective.schemas().isEmpty()) {
      refresh(connection, configuration, effective, ranBy);
    }
  }

  /**
   * Refreshes what {@code options} names, on the caller's connection; fails when a view could not
   * be refreshed. Unless {@code options} chose a schema for the refresh history, it is recorded
   * beside Flyway's schema history, as run by {@code ranBy}.
   */
  public static void refresh(Connection connection, Configuration configuration, RefreshOptions options, String ranBy) {
    String schema;
    try {
      schema = ViewMigrations.journal(configuration, connection).history().schema();
    } catch (SQLException e) {
      throw new MviewException(MviewException.Kind.DATABASE, "cannot find Flyway's schema: " + e.getMessage(), e);
    }
    RefreshOptions recorded = options.toBuilder().history(options.history().beside(schema, ranBy)).build();
    Refresher.refresh(connection, recorded).throwIfFailed();
  }

  /**
   * The refresh settings as text, for a repeatable migration's checksum: everything that changes
   * what a refresh on one connection does.
   */
  public static String describe(RefreshOptions options) {
    return "views=" + options.views() + " schemas=" + options.schemas() + " upstream=" + options.includeUpstream()
        + " downstream=" + options.includeDownstream() + " mode=" + options.mode()
        + " withData=" + options.withData() + " swap=" + options.swap() + " lockTimeout="
        + options.lockTimeout().orElse(null) + " statementTimeout=" + options.statementTimeout().orElse(null)
        + " onBusy=" + options.onBusy();
  }
}
