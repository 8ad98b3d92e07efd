package dev.mview.it.liquibase;

import dev.mview.it.support.CatalogSnapshot;
import dev.mview.it.support.Deparse;
import dev.mview.it.support.TestDatabase;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The schema the snapshot, diff and drop-all tests work on, in {@code public}: a table, plain
 * views around a three-level DAG of materialized views, unique and other indexes, comments, a
 * storage parameter, an unpopulated view, and names with quotes, upper case and non-ASCII letters.
 *
 * <pre>
 * orders &lt;- paid_orders (view) &lt;- daily &lt;- weekly &lt;---------- weekly_report (view) &lt;- best_weeks &lt;- summary (view)
 * orders &lt;- Customer "Totals" é &lt;----------------------------/
 * orders &lt;- "Order Lines É" (view) &lt;- Top "Weeks" &lt;- Report é (view)          lonely (reads nothing)
 * </pre>
 */
final class ViewsAroundTables {
  private ViewsAroundTables() {}

  static final String CUSTOMER_TOTALS = "Customer \"Totals\" é";
  static final String TOP_WEEKS = "Top \"Weeks\"";

  /** {@code text}, printed by {@code db}'s server, with the definitions as PostgreSQL 16 and later print them. */
  static String likePg16(TestDatabase db, String text) {
    return Deparse.likePg16(db, text, "orders", "paid_orders", "daily", "weekly", "weekly_report", "best_weeks",
        "\"Customer \"\"Totals\"\" é\"", "\"Order Lines É\"", "\"Top \"\"Weeks\"\"\"");
  }

  /** Creates the schema in {@code db}, {@code daily} counting the paid orders for which {@code counted} holds. */
  static void create(TestDatabase db, String counted) {
    db.execute(
        "CREATE TABLE orders (id int PRIMARY KEY, customer text, amount numeric NOT NULL, ordered_on date NOT NULL)",
        "INSERT INTO orders VALUES (1, 'ann', 10, '2026-01-05'), (2, 'bob', 200, '2026-01-06'),"
            + " (3, 'ann', -5, '2026-01-13'), (4, 'cy', 150, '2026-01-14')",
        "CREATE VIEW paid_orders AS SELECT * FROM orders WHERE amount > 0",
        "CREATE MATERIALIZED VIEW daily AS SELECT ordered_on AS day, sum(amount) AS total, count(*) AS orders"
            + " FROM paid_orders WHERE " + counted + " GROUP BY ordered_on",
        "CREATE UNIQUE INDEX daily_day_key ON daily (day)",
        "CREATE INDEX daily_total_idx ON daily (total DESC)",
        "COMMENT ON MATERIALIZED VIEW daily IS 'Paid sales per day'",
        "CREATE MATERIALIZED VIEW \"Customer \"\"Totals\"\" é\" AS SELECT customer, sum(amount) AS total FROM orders"
            + " GROUP BY customer",
        "CREATE UNIQUE INDEX \"by Customer\" ON \"Customer \"\"Totals\"\" é\" (customer)",
        "COMMENT ON COLUMN \"Customer \"\"Totals\"\" é\".total IS 'it''s the sum'",
        "CREATE MATERIALIZED VIEW weekly AS SELECT date_trunc('week', day)::date AS week, sum(total) AS total"
            + " FROM daily GROUP BY 1",
        "CREATE UNIQUE INDEX weekly_week_key ON weekly (week)",
        "CREATE VIEW weekly_report AS SELECT w.week, w.total, t.top FROM weekly w"
            + " CROSS JOIN (SELECT max(total) AS top FROM \"Customer \"\"Totals\"\" é\") t",
        "CREATE MATERIALIZED VIEW best_weeks WITH (fillfactor = 70) AS SELECT week, total FROM weekly_report"
            + " WHERE total * 2 >= top WITH NO DATA",
        "CREATE INDEX best_weeks_big ON best_weeks (week) WHERE total > 100",
        "CREATE VIEW summary AS SELECT count(*) AS weeks FROM best_weeks",
        "CREATE VIEW \"Order Lines É\" AS SELECT id, amount FROM orders",
        "CREATE MATERIALIZED VIEW \"Top \"\"Weeks\"\"\" AS SELECT sum(amount) AS total FROM \"Order Lines É\"",
        "CREATE VIEW \"Report é\" AS SELECT total FROM \"Top \"\"Weeks\"\"\"",
        "CREATE MATERIALIZED VIEW lonely AS SELECT 1 AS one");
  }

  /** What {@code db} holds in {@code public}, OIDs aside, without Liquibase's own tables. */
  static List<String> catalog(TestDatabase db) {
    return CatalogSnapshot.of(db, "public").stream().filter(line -> !line.startsWith("public.databasechangelog"))
        .collect(Collectors.toList());
  }

  /** The materialized views of {@code db}'s {@code public}, in name order. */
  static List<String> materializedViews(TestDatabase db) {
    return db.column("SELECT matviewname::text FROM pg_matviews WHERE schemaname = 'public' ORDER BY 1");
  }
}
