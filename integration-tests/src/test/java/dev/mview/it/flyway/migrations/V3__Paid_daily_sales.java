package dev.mview.it.flyway.migrations;

import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.Views;

/** Redefines daily sales: its dependent, sales_summary, must be rebuilt with everything it had. */
public class V3__Paid_daily_sales extends MaterializedViewMigration {
  @Override
  protected void declare(Views views) {
    SalesViews.version3(views);
  }
}
