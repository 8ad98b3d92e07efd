package dev.mview.it.flyway.readme;

import dev.mview.flyway.RepeatableViewMigration;
import dev.mview.flyway.Views;
import dev.mview.model.IndexDefinition;

public class R__Reports extends RepeatableViewMigration {
  @Override
  protected void declare(Views views) {
    // the current model: edit it in place, and Flyway re-runs this migration
    views.materialized("analytics.top_customers",
            "SELECT customer, total FROM analytics.customer_totals ORDER BY total DESC LIMIT 3")
        .index(IndexDefinition.unique("customer"));
  }
}
