package dev.mview.examples.demo.flyway;

import dev.mview.flyway.RepeatableViewMigration;
import dev.mview.flyway.Views;
import dev.mview.model.IndexDefinition;
import dev.mview.refresh.RefreshOptions;

/**
 * The current customer reports, edited in place: Flyway re-runs this migration whenever the model
 * changes, and it then refreshes every analytics view in dependency order.
 */
public class R__Customer_reports extends RepeatableViewMigration {
  @Override
  protected void declare(Views views) {
    views.materialized("demo_analytics.top_customers",
            "SELECT customer, total FROM demo_analytics.customer_totals ORDER BY total DESC LIMIT 5")
        .index(IndexDefinition.unique("customer"))
        .withData(false); // customer_totals is still empty here: the refresh below fills both, in order
  }

  @Override
  protected RefreshOptions refreshOptions() {
    return RefreshOptions.builder().schemas("demo_analytics").build();
  }
}
