package dev.mview.it.flyway.migrations.before;

import dev.mview.flyway.RepeatableViewMigration;
import dev.mview.flyway.Views;
import dev.mview.it.flyway.migrations.SalesViews;

/** The current model while version 2 is the latest: reconciles and refreshes. */
public class R__Sales_views extends RepeatableViewMigration {
  @Override
  protected void declare(Views views) {
    SalesViews.version2(views, sql("dev/mview/it/flyway/views/daily_sales.sql"));
  }
}
