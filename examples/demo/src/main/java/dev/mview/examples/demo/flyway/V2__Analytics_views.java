package dev.mview.examples.demo.flyway;

import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.Views;
import dev.mview.model.IndexDefinition;

/** The analytics DAG, declared in no particular order: mview works out the order. */
public class V2__Analytics_views extends MaterializedViewMigration {
  @Override
  protected void declare(Views views) {
    views.materialized("demo_analytics.best_weeks",
        "SELECT week, total FROM demo_analytics.weekly_sales ORDER BY total DESC LIMIT 3");
    views.view("demo_analytics.sales_overview",
        "SELECT w.week, w.total, round(w.total / w.days, 2) AS per_day FROM demo_analytics.weekly_sales w");
    views.materialized("demo_analytics.weekly_sales",
            "SELECT date_trunc('week', day)::date AS week, sum(total) AS total, count(*) AS days"
                + " FROM demo_analytics.daily_sales GROUP BY 1")
        .index(IndexDefinition.unique("week"))
        .comment("Sales per week, from daily_sales");
    views.materialized("demo_analytics.daily_sales",
            "SELECT ordered_on AS day, count(*) AS orders, sum(amount) AS total"
                + " FROM demo_shop.orders GROUP BY ordered_on")
        .index(IndexDefinition.unique("day"))
        .comment("Sales per day");
    views.materialized("demo_analytics.customer_totals",
            "SELECT customer, sum(amount) AS total FROM demo_shop.orders GROUP BY customer")
        .index(IndexDefinition.unique("customer"))
        .withData(false);
  }
}
