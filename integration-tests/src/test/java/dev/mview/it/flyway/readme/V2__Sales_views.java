package dev.mview.it.flyway.readme;

import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.Views;
import dev.mview.model.IndexDefinition;

public class V2__Sales_views extends MaterializedViewMigration {
  @Override
  protected void declare(Views views) {
    // any order: mview creates daily_sales before weekly_sales, which reads it
    views.materialized("analytics.weekly_sales",
            "SELECT date_trunc('week', day) AS week, sum(total) AS total FROM analytics.daily_sales GROUP BY 1")
        .index(IndexDefinition.unique("week"));
    views.materialized("analytics.daily_sales", sql("db/views/daily_sales.sql"))
        .index(IndexDefinition.unique("day"))
        .comment("Paid sales per day");
    views.materialized("analytics.customer_totals",
            "SELECT customer, sum(amount) AS total FROM shop.orders GROUP BY customer")
        .index(IndexDefinition.unique("customer"));
  }
}
