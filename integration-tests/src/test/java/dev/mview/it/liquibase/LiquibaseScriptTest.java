package dev.mview.it.liquibase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripts {@code update-sql} and {@code rollback-sql} print for the README's changelog, applied
 * as a DBA would apply them (over JDBC, as one script), must do what {@code update} and
 * {@code rollback} do: with a database, exactly the same; offline, on an empty database, without
 * failing on the dependents the changelog defines.
 */
@ExtendWith(PostgresExtension.class)
class LiquibaseScriptTest {
  private static final String CHANGELOG = "dev/mview/it/liquibase/readme/changelog.xml";

  /** Everything a rebuild could lose or change in the two schemas, per relation; no OIDs. */
  private static final String CATALOG = """
      SELECT n.nspname || '.' || c.relname AS relation, c.relkind::text AS kind,
             coalesce(c.relacl::text, '') AS acl, coalesce(obj_description(c.oid, 'pg_class'), '') AS comment,
             coalesce(pg_get_indexdef(c.oid), '') AS index_definition,
             coalesce((SELECT ispopulated::text || ' ' || definition FROM pg_matviews m
                       WHERE m.schemaname = n.nspname AND m.matviewname = c.relname), '') AS view,
             (SELECT string_agg(a.attname, ', ' ORDER BY a.attnum) FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname IN ('shop', 'analytics')
      ORDER BY 1""";

  @BeforeEach
  void emptyDatabase(TestDatabase db) {
    db.execute("DROP SCHEMA IF EXISTS analytics, shop CASCADE",
        "DROP TABLE IF EXISTS databasechangelog, databasechangeloglock, databasechangelog_mview",
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reporting') THEN"
            + " CREATE ROLE reporting; END IF; END $$");
  }

  @Test
  void updateSqlAgainstTheDatabasePrintsExactlyWhatUpdateRuns(TestDatabase db) throws Exception {
    LiquibaseCommands.on(db).updateCount(CHANGELOG, 4); // up to the refresh: the replace is still to come
    long weekly = oid(db, "analytics.weekly_sales");

    String script = LiquibaseCommands.on(db).updateSql(CHANGELOG);
    assertInOrder(script,
        "-- drop analytics.weekly_sales: depends on analytics.daily_sales, which changed; recreated below",
        "DROP MATERIALIZED VIEW analytics.weekly_sales;",
        "DROP MATERIALIZED VIEW analytics.daily_sales;",
        "count(*) AS orders FROM shop.orders GROUP BY ordered_on\nWITH DATA;",
        "-- recreate analytics.weekly_sales: depends on analytics.daily_sales, which changed",
        "GRANT SELECT ON analytics.weekly_sales TO reporting;");
    run(db, script);
    List<Map<String, Object>> applied = db.rows(CATALOG);
    assertNotEquals(weekly, oid(db, "analytics.weekly_sales"), "the script rebuilt the dependent");

    LiquibaseCommands.on(db).rollbackCount(CHANGELOG, 1);
    LiquibaseCommands.on(db).update(CHANGELOG);

    assertEquals(db.rows(CATALOG), applied, "the printed script and update leave the same catalog");
    assertTrue(db.<Boolean>value("SELECT has_table_privilege('reporting', 'analytics.weekly_sales', 'SELECT')"));
  }

  @Test
  void rollbackSqlAgainstTheDatabasePrintsExactlyWhatRollbackRuns(TestDatabase db) throws Exception {
    LiquibaseCommands.on(db).update(CHANGELOG);

    String script = LiquibaseCommands.on(db).rollbackCountSql(CHANGELOG, 1);
    assertInOrder(script,
        "DROP MATERIALIZED VIEW analytics.weekly_sales;",
        "DROP MATERIALIZED VIEW analytics.daily_sales;",
        "SELECT ordered_on AS day, sum(amount) AS total FROM shop.orders GROUP BY ordered_on\nWITH DATA;",
        "GRANT SELECT ON analytics.weekly_sales TO reporting;");
    run(db, script);
    List<Map<String, Object>> rolledBack = db.rows(CATALOG);
    assertEquals("day, total", columns(db, "analytics.daily_sales"));

    LiquibaseCommands.on(db).update(CHANGELOG);
    LiquibaseCommands.on(db).rollbackCount(CHANGELOG, 1);

    assertEquals(db.rows(CATALOG), rolledBack, "the printed script and rollback leave the same catalog");
  }

  /**
   * Offline, the replace drops and recreates the dependent the changelog itself defines, so the
   * whole script runs on an empty database; the script says what it could not know.
   */
  @Test
  void theOfflineScriptOfTheWholeChangelogRunsOnAnEmptyDatabase(TestDatabase db, @TempDir Path folder) throws Exception {
    Path history = folder.resolve("history.csv");
    String script = LiquibaseCommands.offlineUpdateSql(CHANGELOG, history, "outputLiquibaseSql=all");
    assertTrue(script.contains("-- mview: planned offline (no database to compare with) from the definitions in this"
        + " changelog; views made by hand or by other changes, and the grants, owners and indexes other changes gave"
        + " views, are not known"), script);

    run(db, script);

    assertEquals(List.of("customer_totals", "daily_sales", "weekly_sales"),
        db.column("SELECT matviewname::text FROM pg_matviews WHERE schemaname = 'analytics' AND ispopulated ORDER BY 1"));
    assertEquals("day, total, orders", columns(db, "analytics.daily_sales"));
    assertEquals(List.of("daily-sales-with-counts", "orders", "refresh", "release-1", "sales-views", "weekly-sales"),
        db.column("SELECT id FROM databasechangelog ORDER BY 1"));

    // and rolled back offline from the history the first script wrote
    String rollback = LiquibaseCommands.offlineRollbackCountSql(CHANGELOG, history, "outputLiquibaseSql=all", 1);
    run(db, rollback);

    assertEquals("day, total", columns(db, "analytics.daily_sales"));
    assertEquals(List.of("customer_totals", "daily_sales", "weekly_sales"),
        db.column("SELECT matviewname::text FROM pg_matviews WHERE schemaname = 'analytics' AND ispopulated ORDER BY 1"));
    assertEquals(List.of("orders", "refresh", "release-1", "sales-views", "weekly-sales"), db.column("SELECT id FROM databasechangelog ORDER BY 1"));
  }

  private static void run(TestDatabase db, String script) throws SQLException {
    try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
      statement.execute(script);
    }
  }

  private static void assertInOrder(String script, String... expected) {
    int at = 0;
    for (String part : expected) {
      int found = script.indexOf(part, at);
      assertTrue(found >= 0, "expected after position " + at + ": " + part + "\nin:\n" + script);
      at = found + part.length();
    }
  }

  private static long oid(TestDatabase db, String relation) {
    return db.<Number>value("SELECT ?::regclass::oid::bigint", relation).longValue();
  }

  private static String columns(TestDatabase db, String relation) {
    return db.value("SELECT string_agg(attname, ', ' ORDER BY attnum) FROM pg_attribute"
        + " WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped", relation);
  }
}
