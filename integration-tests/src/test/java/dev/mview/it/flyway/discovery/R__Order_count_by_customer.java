package dev.mview.it.flyway.discovery;

import dev.mview.flyway.RepeatableViewMigration;
import dev.mview.flyway.Views;

/** Found by Flyway's classpath scan: a repeatable model of one view over version 2's. */
public class R__Order_count_by_customer extends RepeatableViewMigration {
  @Override
  protected void declare(Views views) {
    views.view("analytics.busiest_customer",
        "SELECT customer FROM analytics.customer_orders ORDER BY orders DESC, customer LIMIT 1");
  }
}
