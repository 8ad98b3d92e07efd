package dev.mview.it.flyway.migrations;

import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.Views;

/** A version 3 whose view lives in a schema that nobody created. */
public class V3__Views_nowhere extends MaterializedViewMigration {
  @Override
  protected void declare(Views views) {
    views.materialized("reports.order_count", "SELECT count(*) AS orders FROM shop.orders");
  }
}
