package dev.mview.it.flyway.migrations;

import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.Views;

/** Drops the summary; its inverse, captured when it runs, recreates it as it was then. */
public class V4__Drop_sales_summary extends MaterializedViewMigration {
  @Override
  protected void declare(Views views) {
    views.drop("analytics.sales_summary");
  }
}
