package dev.mview.it.flyway.migrations;

import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.Views;

/**
 * A version 3 that cannot run: a good new view, then one that reads it and a column that does not
 * exist (found at planning, with the first view in place in the rolled-back probe).
 */
public class V3__Broken_views extends MaterializedViewMigration {
  @Override
  protected void declare(Views views) {
    views.materialized("analytics.paid_orders", "SELECT id, amount FROM shop.orders WHERE paid");
    views.materialized("analytics.broken", "SELECT id, no_such_column FROM analytics.paid_orders");
  }
}
