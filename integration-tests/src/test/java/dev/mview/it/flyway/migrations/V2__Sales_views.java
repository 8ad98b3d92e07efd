package dev.mview.it.flyway.migrations;

import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.Views;

/** Creates the three sales views. */
public class V2__Sales_views extends MaterializedViewMigration {
  @Override
  protected void declare(Views views) {
    SalesViews.version2(views, sql("dev/mview/it/flyway/views/daily_sales.sql"));
  }
}
