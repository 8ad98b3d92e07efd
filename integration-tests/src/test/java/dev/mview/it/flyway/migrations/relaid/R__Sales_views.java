package dev.mview.it.flyway.migrations.relaid;

import dev.mview.flyway.RepeatableViewMigration;
import dev.mview.flyway.Views;
import dev.mview.it.flyway.migrations.SalesViews;

/**
 * The repeatable model of version 2 with its daily-sales file laid out anew: other line breaks,
 * comments, lower-case keywords. PostgreSQL reads the same query, so Flyway must not run it again.
 */
public class R__Sales_views extends RepeatableViewMigration {
  @Override
  protected void declare(Views views) {
    SalesViews.version2(views, sql("dev/mview/it/flyway/views/daily_sales_relaid.sql"));
  }
}
