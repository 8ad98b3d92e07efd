package dev.mview.it.flyway.extract;

import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.Views;

/** Version 2: one view over the table. */
public class V2__Base_views extends MaterializedViewMigration {
  @Override
  protected void declare(Views views) {
    views.materialized("analytics.totals", "SELECT customer, sum(amount) AS total FROM shop.orders GROUP BY customer");
  }
}
