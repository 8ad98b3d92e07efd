package dev.mview.flyway.internal;

import dev.mview.MviewException;
import dev.mview.catalog.Catalog;
import dev.mview.catalog.LiveView;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import dev.mview.plan.Plan;
import dev.mview.plan.ReconcileOptions;
import dev.mview.plan.Reconciler;
import dev.mview.sql.Ddl;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one door from the Flyway front end to the shared model's planner and refresher: the front
 * end translates, the shared model decides what to create, replace, drop and refresh, and in which
 * order.
 */
public final class ViewPlans {
  private ViewPlans() {}

  /**
   * The plan that brings the database to {@code declaration}: create what is missing, replace what
   * changed (with its dependents), drop what is declared dropped. Empty when nothing differs.
   */
  public static Plan reconcile(Connection connection, Declaration declaration) {
    ReconcileOptions options = ReconcileOptions.builder()
        .drop(declaration.drops().toArray(QualifiedName[]::new))
        .build();
    return Reconciler.plan(connection, declaration.model(), options);
  }

  /** Refreshes the materialized views of {@code model}, each after those it reads. */
  public static void refresh(Connection connection, ViewModel model) throws SQLException {
    List<QualifiedName> views = new ArrayList<>();
    for (ViewDefinition view : model.createOrder()) {
      if (view.isMaterialized()) {
        views.add(view.name());
      }
    }
    refresh(connection, views, List.of());
  }

  /**
   * Refreshes {@code views} and every materialized view of {@code schemas}, each after those it
   * reads (as {@code pg_depend} has it).
   */
  public static void refresh(Connection connection, List<QualifiedName> views, List<String> schemas)
      throws SQLException {
    // Until the shared refresher lands: plain refreshes in the live dependency order.
    Catalog catalog = Catalog.read(connection);
    Set<QualifiedName> targets = new LinkedHashSet<>(views);
    for (QualifiedName view : views) {
      if (catalog.view(view).filter(LiveView::isMaterialized).isEmpty()) {
        throw new MviewException("cannot refresh " + view + ": there is no materialized view of that name;"
            + " check the name (schema.name) or create it first");
      }
    }
    catalog.views().stream()
        .filter(view -> view.isMaterialized() && schemas.contains(view.name().schema()))
        .forEach(view -> targets.add(view.name()));
    try (Statement statement = connection.createStatement()) {
      for (QualifiedName view : catalog.order(targets)) {
        statement.execute(Ddl.refresh(view, false, true));
      }
    }
  }
}
