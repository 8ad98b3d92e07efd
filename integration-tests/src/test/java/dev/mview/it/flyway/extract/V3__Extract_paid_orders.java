package dev.mview.it.flyway.extract;

import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.Views;

/** Version 3: a new view of paid orders, and the existing view redefined to read it. */
public class V3__Extract_paid_orders extends MaterializedViewMigration {
  @Override
  protected void declare(Views views) {
    views.materialized("analytics.paid_orders", "SELECT customer, amount FROM shop.orders WHERE paid");
    views.materialized("analytics.totals", "SELECT customer, sum(amount) AS total FROM analytics.paid_orders GROUP BY customer");
  }
}
