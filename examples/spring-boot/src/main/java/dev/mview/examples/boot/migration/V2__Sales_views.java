package dev.mview.examples.boot.migration;

import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.Views;
import dev.mview.model.IndexDefinition;

/**
 * Two materialized views in two levels, declared as a Spring bean rather than found by Flyway's
 * scan (it lives outside {@code db/migration}). Both are created empty: the refresh callback fills
 * them after migrate.
 */
public class V2__Sales_views extends MaterializedViewMigration {
  @Override
  protected void declare(Views views) {
    views.materialized("boot_analytics.monthly_sales",
            "SELECT date_trunc('month', day)::date AS month, sum(total) AS total FROM boot_analytics.daily_sales GROUP BY 1")
        .index(IndexDefinition.unique("month"))
        .withData(false);
    views.materialized("boot_analytics.daily_sales",
            "SELECT ordered_on AS day, sum(amount) AS total FROM boot_shop.orders GROUP BY ordered_on")
        .index(IndexDefinition.unique("day"))
        .withData(false);
  }
}
