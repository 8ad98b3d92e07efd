package dev.mview.examples.demo.flyway;

import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.Views;
import dev.mview.model.IndexDefinition;

/** A new release: daily sales count paid orders only. Everything that reads daily_sales follows. */
public class V3__Paid_orders_only extends MaterializedViewMigration {
  @Override
  protected void declare(Views views) {
    views.materialized("demo_analytics.daily_sales",
            "SELECT ordered_on AS day, count(*) AS orders, sum(amount) AS total"
                + " FROM demo_shop.orders WHERE paid GROUP BY ordered_on")
        .index(IndexDefinition.unique("day"))
        .comment("Paid sales per day");
  }
}
