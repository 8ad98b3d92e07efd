package dev.mview.it.flyway.migrations;

import dev.mview.flyway.Views;
import dev.mview.model.IndexDefinition;

/** The views of the Flyway tests, shared by the versioned and repeatable migrations that declare them. */
public final class SalesViews {
  /** Daily sales as version 3 defines them: paid orders only. */
  static final String PAID_DAILY_SALES = "SELECT ordered_on AS day, count(*) AS orders, sum(amount) AS total"
      + " FROM shop.orders WHERE paid GROUP BY ordered_on";

  private SalesViews() {}

  /**
   * Version 2: three materialized views in two levels, the reader declared first; the query of
   * daily sales comes from a classpath file, read by the migration ({@code sql(...)}).
   */
  public static void version2(Views views, String dailySalesQuery) {
    salesSummary(views);
    dailySales(views, dailySalesQuery, "Sales per day");
    customerTotals(views);
  }

  /** Version 3: daily sales count paid orders only. */
  public static void version3(Views views) {
    dailySales(views, PAID_DAILY_SALES, "Paid sales per day");
  }

  /** The whole model as it is after version 3. */
  public static void afterVersion3(Views views) {
    salesSummary(views);
    version3(views);
    customerTotals(views);
  }

  private static void salesSummary(Views views) {
    views.materialized("analytics.sales_summary",
            "SELECT d.day, d.total, c.customers FROM analytics.daily_sales d"
                + " CROSS JOIN (SELECT count(*) AS customers FROM analytics.customer_totals) c")
        .index(IndexDefinition.unique("day"))
        .comment("Sales per day with the number of customers");
  }

  private static void dailySales(Views views, String query, String comment) {
    views.materialized("analytics.daily_sales", query)
        .index(IndexDefinition.unique("day"))
        .comment(comment);
  }

  private static void customerTotals(Views views) {
    views.materialized("analytics.customer_totals",
            "SELECT customer, sum(amount) AS total FROM shop.orders GROUP BY customer")
        .index(IndexDefinition.unique("customer"));
  }
}
