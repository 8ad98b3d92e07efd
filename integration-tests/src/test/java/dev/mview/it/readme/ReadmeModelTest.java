package dev.mview.it.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.IndexDefinition;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import dev.mview.plan.Plan;
import dev.mview.plan.Planner;
import dev.mview.plan.Reconciler;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's shared-model examples, run on a real database. {@code ReadmeCodeTest} checks that
 * every Java block of the README stands verbatim in a source like this one.
 */
@ExtendWith(PostgresExtension.class)
class ReadmeModelTest {

  @BeforeEach
  void tables(TestDatabase db) {
    db.execute("DROP SCHEMA IF EXISTS shop, analytics CASCADE", "CREATE SCHEMA shop", "CREATE SCHEMA analytics",
        "CREATE TABLE shop.orders (id int PRIMARY KEY, amount numeric NOT NULL, ordered_on date NOT NULL)",
        "INSERT INTO shop.orders SELECT i, i % 10, date '2026-01-01' + (i % 20) FROM generate_series(1, 100) i");
  }

  @Test
  void theModelExample(TestDatabase db) throws Exception {
    try (Connection connection = db.connect()) {
      ViewModel model = ViewModel.of(
          ViewDefinition.materializedView("analytics.weekly_sales",
                  "SELECT date_trunc('week', day) AS week, sum(total) AS total FROM analytics.daily_sales GROUP BY 1")
              .index(IndexDefinition.unique("week"))
              .build(),
          ViewDefinition.materializedView("analytics.daily_sales",
                  "SELECT ordered_on AS day, sum(amount) AS total FROM shop.orders GROUP BY 1")
              .index(IndexDefinition.unique("day"))
              .comment("Sales per day")
              .build());

      Plan plan = Planner.create(model);   // daily_sales first: weekly_sales reads it
      System.out.print(plan.toScript());   // the SQL, a comment per step saying why
      plan.execute(connection);            // all or nothing; plan.inverse() drops them again

      assertEquals(List.of("analytics.daily_sales", "analytics.weekly_sales"),
          plan.steps().stream().map(step -> step.view().toString()).toList());
    }
    assertEquals(List.of("daily_sales", "weekly_sales"),
        db.column("SELECT matviewname::text FROM pg_matviews WHERE schemaname = 'analytics' ORDER BY 1"));
  }

  @Test
  void theReconcileExample(TestDatabase db) throws Exception {
    ViewModel model = ViewModel.of(
        ViewDefinition.materializedView("analytics.daily_sales",
            "SELECT ordered_on AS day, sum(amount) AS total FROM shop.orders GROUP BY 1").build(),
        ViewDefinition.materializedView("analytics.weekly_sales",
            "SELECT date_trunc('week', day) AS week, sum(total) AS total FROM analytics.daily_sales GROUP BY 1").build());
    db.execute("CREATE MATERIALIZED VIEW analytics.daily_sales AS SELECT ordered_on AS day FROM shop.orders",
        "CREATE VIEW analytics.by_hand AS SELECT day FROM analytics.daily_sales");
    try (Connection connection = db.connect()) {
      Plan plan = Reconciler.plan(connection, model);      // reads the catalog, changes nothing
      System.out.print(plan.toScript());                  // dry run: every step says why it is there
      plan.execute(connection);                           // one transaction: all or nothing
      Plan undo = plan.inverse();                         // restores the previous definitions

      assertEquals(List.of("drop analytics.by_hand", "drop analytics.daily_sales", "create analytics.daily_sales",
              "recreate analytics.by_hand", "create analytics.weekly_sales"),
          plan.steps().stream().map(step -> step.action().label() + " " + step.view()).toList());
      undo.execute(connection);
    }
    assertEquals(List.of("day"), db.column("SELECT attname::text FROM pg_attribute"
        + " WHERE attrelid = 'analytics.daily_sales'::regclass AND attnum > 0"));
    assertEquals(List.of("by_hand", "daily_sales"), db.column("SELECT relname::text FROM pg_class"
        + " WHERE relnamespace = 'analytics'::regnamespace AND relkind IN ('m', 'v') ORDER BY 1"));
  }
}
