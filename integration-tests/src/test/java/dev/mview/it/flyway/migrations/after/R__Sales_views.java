package dev.mview.it.flyway.migrations.after;

import dev.mview.flyway.RepeatableViewMigration;
import dev.mview.flyway.Views;
import dev.mview.it.flyway.migrations.SalesViews;

/**
 * The same repeatable migration after its model was edited for version 3 (daily sales count paid
 * orders only): its checksum differs, so Flyway runs it again.
 */
public class R__Sales_views extends RepeatableViewMigration {
  @Override
  protected void declare(Views views) {
    SalesViews.afterVersion3(views);
  }
}
