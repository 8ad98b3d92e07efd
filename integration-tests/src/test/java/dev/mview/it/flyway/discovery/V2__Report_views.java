package dev.mview.it.flyway.discovery;

import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.Views;
import dev.mview.model.IndexDefinition;

/**
 * Found by Flyway's classpath scan. Creates its views empty ({@code WITH NO DATA}): the refresh
 * callback fills them.
 */
public class V2__Report_views extends MaterializedViewMigration {
  @Override
  protected void declare(Views views) {
    views.materialized("analytics.order_count", "SELECT count(*) AS orders FROM shop.orders")
        .withData(false);
    views.materialized("analytics.customer_orders",
            "SELECT customer, count(*) AS orders FROM shop.orders GROUP BY customer")
        .index(IndexDefinition.unique("customer"))
        .withData(false);
  }
}
