package dev.mview.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mview.model.IndexDefinition;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import org.junit.jupiter.api.Test;

class PlannerTest {

  private static ViewModel model() {
    return ViewModel.of(
        ViewDefinition.materializedView("analytics.weekly", "SELECT week, sum(total) AS total FROM analytics.daily GROUP BY week")
            .index(IndexDefinition.unique("week"))
            .comment("Sales per week; it's derived")
            .build(),
        ViewDefinition.view("analytics.\"Order Totals\"", "SELECT id, amount FROM public.orders").build(),
        ViewDefinition.materializedView("analytics.daily", "SELECT day, date_trunc('week', day) AS week, sum(amount) AS total\n"
                + "FROM analytics.\"Order Totals\" GROUP BY day")
            .storageParameter("fillfactor", "90")
            .withData(false)
            .build());
  }

  @Test
  void createScriptIsOrderedAndByteIdenticalEveryTime() {
    String expected = """
        -- create analytics."Order Totals": new view
        CREATE VIEW analytics."Order Totals" AS
        SELECT id, amount FROM public.orders;

        -- create analytics.daily: new materialized view, reads analytics."Order Totals"
        CREATE MATERIALIZED VIEW analytics.daily
        WITH (fillfactor = 90) AS
        SELECT day, date_trunc('week', day) AS week, sum(amount) AS total
        FROM analytics."Order Totals" GROUP BY day
        WITH NO DATA;

        -- create analytics.weekly: new materialized view, reads analytics.daily
        CREATE MATERIALIZED VIEW analytics.weekly AS
        SELECT week, sum(total) AS total FROM analytics.daily GROUP BY week
        WITH DATA;
        CREATE UNIQUE INDEX weekly_week_key ON analytics.weekly (week);
        COMMENT ON MATERIALIZED VIEW analytics.weekly IS 'Sales per week; it''s derived';

        """;
    // The heading names views unquoted; the SQL quotes them.
    expected = expected.replace("-- create analytics.\"Order Totals\"", "-- create analytics.Order Totals")
        .replace("reads analytics.\"Order Totals\"", "reads analytics.Order Totals");
    assertEquals(expected, Planner.create(model()).toScript());
    assertEquals(Planner.create(model()).toScript(), Planner.create(model()).toScript());
  }

  @Test
  void dropScriptDropsDownstreamFirst() {
    assertEquals("""
        -- mview: readers of the views below wait from here until the transaction commits (each step from here on holds its locks to the end)
        -- drop analytics.weekly: undo create: new materialized view, reads analytics.daily
        DROP MATERIALIZED VIEW analytics.weekly;

        -- drop analytics.daily: undo create: new materialized view, reads analytics.Order Totals
        DROP MATERIALIZED VIEW analytics.daily;

        -- drop analytics.Order Totals: undo create: new view
        DROP VIEW analytics."Order Totals";

        """, Planner.drop(model()).toScript());
  }

  @Test
  void inverseOfInverseIsThePlan() {
    Plan plan = Planner.create(model());
    assertEquals(plan.statements(), plan.inverse().inverse().statements());
  }
}
