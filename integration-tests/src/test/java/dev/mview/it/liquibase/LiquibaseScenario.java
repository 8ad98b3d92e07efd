package dev.mview.it.liquibase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One user's life with the mview change types, run through real Liquibase commands on a real
 * database: the same scenario written as an XML, a YAML and a JSON changelog (one subclass each).
 * The steps build on each other, in order, on the class's own database.
 *
 * <p>{@code views.*}: a table (changeset 1), a tag, {@code daily_sales} and {@code customer_totals}
 * (unique keys; the second reads its query from a file), {@code weekly_sales} reading
 * {@code daily_sales} (no unique key; an extra index, a grant and a comment), and a {@code runAlways}
 * refresh of the schema. {@code views-v2.*} includes it and replaces {@code daily_sales}.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class LiquibaseScenario {
  /** Everything a recreate could lose, per relation of the two schemas; no OIDs. */
  private static final String CATALOG = """
      SELECT n.nspname || '.' || c.relname AS relation, c.relkind::text AS kind,
             coalesce(c.relacl::text, '') AS acl, coalesce(obj_description(c.oid, 'pg_class'), '') AS comment,
             coalesce(pg_get_indexdef(c.oid), '') AS index_definition,
             coalesce((SELECT ispopulated::text FROM pg_matviews m WHERE m.schemaname = n.nspname AND m.matviewname = c.relname), '') AS populated,
             coalesce((SELECT definition FROM pg_matviews m WHERE m.schemaname = n.nspname AND m.matviewname = c.relname), '') AS definition
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname IN ('shop', 'analytics')
      ORDER BY 1""";

  private List<Map<String, Object>> catalogBeforeViews;

  /** The folder of this format's changelogs, for example {@code dev/mview/it/liquibase/xml}. */
  abstract String folder();

  /** The file extension of this format's changelogs. */
  abstract String extension();

  /** The role the changelog grants SELECT on weekly_sales to (roles are cluster-wide: one per format). */
  abstract String readerRole();

  final String changelog(String name) {
    return folder() + "/" + name + "." + extension();
  }

  @BeforeAll
  void role(TestDatabase db) {
    db.execute("DO $$ BEGIN CREATE ROLE " + readerRole() + "; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
  }

  @Test
  @Order(1)
  void updateCountStopsAtTheTag(TestDatabase db) throws Exception {
    LiquibaseCommands.on(db).updateCount(changelog("views"), 2);

    catalogBeforeViews = db.rows(CATALOG);
    assertEquals(List.of("shop.orders", "shop.orders_pkey"), catalogBeforeViews.stream().map(row -> row.get("relation")).toList());
  }

  @Test
  @Order(2)
  void updateCreatesThreeMaterializedViewsInTwoLevels(TestDatabase db) throws Exception {
    LiquibaseCommands.on(db).update(changelog("views"));

    assertEquals(List.of("customer_totals", "daily_sales", "weekly_sales"),
        db.column("SELECT matviewname::text FROM pg_matviews WHERE schemaname = 'analytics' AND ispopulated ORDER BY 1"));
    assertEquals(List.of("customer_totals_customer_key", "daily_sales_day_key"),
        db.column("SELECT i.relname::text FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
            + " JOIN pg_class t ON t.oid = x.indrelid WHERE x.indisunique AND t.relnamespace = 'analytics'::regnamespace ORDER BY 1"));
    assertEquals("Sales per day", db.value("SELECT obj_description('analytics.daily_sales'::regclass, 'pg_class')"));
    assertEquals(db.<Object>value("SELECT sum(amount) FROM shop.orders"), db.value("SELECT sum(total) FROM analytics.weekly_sales"));
    assertEquals(300L, db.<Object>value("SELECT sum(orders)::bigint FROM analytics.customer_totals"), "query read from customer_totals.sql");
    assertEquals(true, db.value("SELECT has_table_privilege(?, 'analytics.weekly_sales', 'SELECT')", readerRole()));
  }

  @Test
  @Order(3)
  void runAlwaysRefreshShowsRowsInsertedSince(TestDatabase db) throws Exception {
    db.execute("INSERT INTO shop.orders VALUES (1001, 'c1', 100, date '2026-03-02'), (1002, 'c9', 50, date '2026-03-02')");

    LiquibaseCommands.on(db).update(changelog("views"));

    assertEquals(new BigDecimal("150"), db.value("SELECT total FROM analytics.daily_sales WHERE day = date '2026-03-02'"));
    assertEquals(new BigDecimal("150"), db.value("SELECT total FROM analytics.weekly_sales WHERE week = date '2026-03-02'"));
    assertEquals(new BigDecimal("50"), db.value("SELECT total FROM analytics.customer_totals WHERE customer = 'c9'"));
  }

  /**
   * A reader holds daily_sales and customer_totals open (ACCESS SHARE) in another transaction. A
   * plain refresh needs ACCESS EXCLUSIVE and would wait; with a lock timeout it fails (shown first, so
   * this test can fail). The runAlways refresh with concurrently=auto goes through: it ran
   * CONCURRENTLY on both views with a unique key.
   */
  @Test
  @Order(4)
  void autoRefreshesConcurrentlyWhereTheViewHasAUniqueKey(TestDatabase db) throws Exception {
    db.execute("INSERT INTO shop.orders VALUES (1003, 'c8', 70, date '2026-03-03')");
    try (Connection reader = db.connect()) {
      reader.setAutoCommit(false);
      try (Statement statement = reader.createStatement()) {
        statement.execute("SELECT count(*) FROM analytics.daily_sales");
        statement.execute("SELECT count(*) FROM analytics.customer_totals");
      }

      SQLException plain = assertThrows(SQLException.class, () -> {
        try (Connection other = db.connect(); Statement statement = other.createStatement()) {
          statement.execute("SET lock_timeout = 500");
          statement.execute("REFRESH MATERIALIZED VIEW analytics.daily_sales");
        }
      });
      assertEquals("55P03", plain.getSQLState(), "a plain refresh waits for the reader");

      LiquibaseCommands.withLockTimeout(db, 5000).update(changelog("views"));

      assertEquals(new BigDecimal("70"), value(db, "SELECT total FROM analytics.daily_sales WHERE day = date '2026-03-03'"));
      reader.rollback();
    }
    assertEquals(new BigDecimal("70"), db.value("SELECT total FROM analytics.customer_totals WHERE customer = 'c8'"));
  }

  @Test
  @Order(5)
  void updateSqlOfflinePrintsTheWholeScriptWithoutADatabase() throws Exception {
    String script = LiquibaseCommands.offlineUpdateSql(changelog("views-v2"));

    List<String> expectedInOrder = List.of(
        "CREATE TABLE shop.orders",
        // the creates of one changeset are one plan: dependency order, ties by name
        "CREATE MATERIALIZED VIEW analytics.customer_totals AS",
        "GROUP BY customer\nWITH DATA;",
        "CREATE MATERIALIZED VIEW analytics.daily_sales AS",
        "CREATE UNIQUE INDEX daily_sales_day_key ON analytics.daily_sales (day);",
        "COMMENT ON MATERIALIZED VIEW analytics.daily_sales IS 'Sales per day';",
        "CREATE MATERIALIZED VIEW analytics.weekly_sales AS",
        "GRANT SELECT ON analytics.weekly_sales TO " + readerRole(),
        "REFRESH MATERIALIZED VIEW CONCURRENTLY analytics.customer_totals;",
        "REFRESH MATERIALIZED VIEW CONCURRENTLY analytics.daily_sales;",
        "REFRESH MATERIALIZED VIEW analytics.weekly_sales;",
        "-- mview: planned offline",
        // the dependent the changelog itself defines is dropped first and recreated after
        "DROP MATERIALIZED VIEW analytics.weekly_sales;",
        "DROP MATERIALIZED VIEW analytics.daily_sales;",
        "count(*) AS orders FROM shop.orders GROUP BY ordered_on\nWITH DATA;",
        "-- recreate analytics.weekly_sales: depends on analytics.daily_sales, which changed",
        "CREATE MATERIALIZED VIEW analytics.weekly_sales AS");
    int at = 0;
    for (String expected : expectedInOrder) {
      int found = script.indexOf(expected, at);
      assertTrue(found >= 0, "expected after position " + at + ": " + expected + "\nin:\n" + script);
      at = found + expected.length();
    }
  }

  @Test
  @Order(6)
  void replaceIfExistsRecreatesDependentsWithIndexesGrantsAndCommentsKept(TestDatabase db) throws Exception {
    List<Map<String, Object>> weeklyBefore = weekly(db);
    long weeklyOid = db.<Long>value("SELECT 'analytics.weekly_sales'::regclass::oid::bigint");

    LiquibaseCommands.on(db).update(changelog("views-v2"));

    assertEquals(List.of("day", "total", "orders"), columns(db, "daily_sales"));
    assertNotEquals(weeklyOid, db.<Long>value("SELECT 'analytics.weekly_sales'::regclass::oid::bigint"), "weekly_sales was recreated");
    assertEquals(weeklyBefore, weekly(db));
    assertEquals(db.<Object>value("SELECT sum(amount) FROM shop.orders"), db.value("SELECT sum(total) FROM analytics.weekly_sales"));
  }

  @Test
  @Order(7)
  void rollbackCountRestoresThePreviousDefinitionFromTheChangelog(TestDatabase db) throws Exception {
    List<Map<String, Object>> weeklyBefore = weekly(db);
    String printed = LiquibaseCommands.on(db).rollbackCountSql(changelog("views-v2"), 1);
    assertTrue(printed.contains("SELECT ordered_on AS day, sum(amount) AS total FROM shop.orders GROUP BY ordered_on"), printed);

    LiquibaseCommands.on(db).rollbackCount(changelog("views-v2"), 1);

    assertEquals(List.of("day", "total"), columns(db, "daily_sales"));
    assertEquals(weeklyBefore, weekly(db));
  }

  @Test
  @Order(8)
  void rollbackToTheTagLeavesTheCatalogAsItWasAndUpdateReappliesCleanly(TestDatabase db) throws Exception {
    LiquibaseCommands.on(db).update(changelog("views-v2"));

    LiquibaseCommands.on(db).rollbackToTag(changelog("views-v2"), "before-views");

    assertEquals(catalogBeforeViews, db.rows(CATALOG));

    LiquibaseCommands.on(db).update(changelog("views-v2"));
    assertEquals(List.of("customer_totals", "daily_sales", "weekly_sales"),
        db.column("SELECT matviewname::text FROM pg_matviews WHERE schemaname = 'analytics' AND ispopulated ORDER BY 1"));
    assertEquals(List.of("day", "total", "orders"), columns(db, "daily_sales"));
    assertEquals(true, db.value("SELECT has_table_privilege(?, 'analytics.weekly_sales', 'SELECT')", readerRole()));
    assertFalse(db.rows(CATALOG).isEmpty());
  }

  /** weekly_sales as the catalog shows it: its rows of {@link #CATALOG} (relation, indexes). */
  private static List<Map<String, Object>> weekly(TestDatabase db) {
    return db.rows("SELECT * FROM (" + CATALOG + ") c WHERE relation LIKE 'analytics.weekly_sales%'");
  }

  private static List<String> columns(TestDatabase db, String view) {
    return db.column("SELECT attname::text FROM pg_attribute WHERE attrelid = ?::regclass AND attnum > 0 ORDER BY attnum",
        "analytics." + view);
  }

  private static Object value(TestDatabase db, String sql) {
    return db.value(sql);
  }
}
