package db.migration;

import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.Views;
import dev.mview.model.IndexDefinition;

/** Created empty: the refresh callback, named in the plugin's configuration, fills it. */
public class V2__Customer_views extends MaterializedViewMigration {
  @Override
  protected void declare(Views views) {
    views.materialized("analytics.customer_totals",
            "SELECT customer, sum(amount) AS total FROM shop.orders GROUP BY customer")
        .index(IndexDefinition.unique("customer"))
        .withData(false);
  }
}
