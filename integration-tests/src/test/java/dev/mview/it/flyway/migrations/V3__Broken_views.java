package dev.mview.it.flyway.migrations;

import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.Views;

/** A version 3 that fails part-way: a good new view, then one reading a column that does not exist. */
public class V3__Broken_views extends MaterializedViewMigration {
  @Override
  protected void declare(Views views) {
    views.materialized("analytics.paid_orders", "SELECT id, amount FROM shop.orders WHERE paid");
    views.materialized("analytics.broken", "SELECT id, no_such_column FROM analytics.paid_orders");
  }
}
