package dev.mview.it.flyway.migrations;

import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.Views;

/** A version 3 that redefines a view others read with a query that does not run. */
public class V3__Broken_redefinition extends MaterializedViewMigration {
  @Override
  protected void declare(Views views) {
    views.materialized("analytics.daily_sales", "SELECT ordered_on AS day, no_such_column AS total FROM shop.orders");
  }
}
