package dev.mview.flyway.internal;

import dev.mview.MviewException;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import dev.mview.plan.Plan;
import dev.mview.plan.ReconcileOptions;
import dev.mview.plan.Reconciler;
import dev.mview.sql.Ddl;
import dev.mview.sql.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

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
    try (Statement statement = connection.createStatement()) {
      for (ViewDefinition view : model.createOrder()) {
        if (view.isMaterialized()) {
          statement.execute(Ddl.refresh(view.name(), false, true));
        }
      }
    }
  }

  /**
   * Refreshes {@code views} and every materialized view of {@code schemas}, each after those it
   * reads.
   */
  public static void refresh(Connection connection, List<QualifiedName> views, List<String> schemas)
      throws SQLException {
    // TODO(Refresher): Refresher.refresh(connection, RefreshOptions.builder().views(...).schemas(...).build())
    List<QualifiedName> targets = new ArrayList<>(views);
    try (PreparedStatement query = connection.prepareStatement("SELECT schemaname, matviewname FROM pg_matviews"
        + " m JOIN pg_class c ON c.relname = m.matviewname JOIN pg_namespace n ON n.oid = c.relnamespace"
        + " AND n.nspname = m.schemaname WHERE schemaname = ANY (?) ORDER BY c.oid")) {
      query.setArray(1, connection.createArrayOf("text", schemas.toArray()));
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          targets.add(QualifiedName.of(rows.getString(1), rows.getString(2)));
        }
      }
    }
    try (Statement statement = connection.createStatement()) {
      for (QualifiedName view : targets) {
        statement.execute(Ddl.refresh(view, false, true));
      }
    }
  }
}
