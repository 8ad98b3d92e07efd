package dev.mview.it.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sales scenario through real Flyway, step by step on one database: tables (SQL), three views
 * in two levels (a view migration), the repeatable model; then a redefinition; then nothing.
 */
@ExtendWith(PostgresExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlywayMigrateTest {
  private static final String READER = "flyway_migrate_test_reader";

  @Test
  @Order(1)
  void firstMigrateCreatesPopulatedViewsInDependencyOrder(TestDatabase db) {
    Flyway flyway = FlywayTests.version2(db);
    MigrateResult result = flyway.migrate();

    assertEquals(3, result.migrationsExecuted);
    assertEquals(List.of(Map.of("matviewname", "customer_totals", "ispopulated", true),
            Map.of("matviewname", "daily_sales", "ispopulated", true),
            Map.of("matviewname", "sales_summary", "ispopulated", true)),
        db.rows("SELECT matviewname, ispopulated FROM pg_matviews WHERE schemaname = 'analytics' ORDER BY 1"));
    assertEquals(30L, db.<Long>value("SELECT count(*) FROM analytics.sales_summary"));
    assertEquals(5L, db.<Long>value("SELECT DISTINCT customers FROM analytics.sales_summary"));
    assertEquals(List.of("customer_totals_customer_key", "daily_sales_day_key", "sales_summary_day_key"),
        db.column("SELECT indexname FROM pg_indexes WHERE schemaname = 'analytics' AND indexdef LIKE 'CREATE UNIQUE%'"
            + " ORDER BY 1"));
    assertEquals("Sales per day with the number of customers",
        db.value("SELECT obj_description('analytics.sales_summary'::regclass, 'pg_class')"));

    MigrationInfo[] all = flyway.info().all();
    assertEquals(List.of("1 Shop tables SUCCESS",
            "2 Sales views: create or replace analytics.customer_totals, analytics.daily_sales, analytics.sales_summary SUCCESS",
            "null Sales views SUCCESS"),
        Arrays.stream(all).map(info -> info.getVersion() + " " + info.getDescription() + " " + info.getState()).toList());
    assertTrue(Arrays.stream(all).allMatch(info -> info.getChecksum() != null));
  }

  @Test
  @Order(2)
  void redefiningAViewRebuildsItsDependentsWithEverythingTheyHadAndRerunsTheModel(TestDatabase db) {
    db.execute("DROP ROLE IF EXISTS " + READER, "CREATE ROLE " + READER,
        "GRANT USAGE ON SCHEMA analytics TO " + READER,
        "GRANT SELECT ON analytics.sales_summary TO " + READER,
        "INSERT INTO shop.orders VALUES (1001, 'c9', 500, true, date '2026-03-01'), (1002, 'c9', 700, false, date '2026-03-01')");
    long customerTotals = oid(db, "analytics.customer_totals");
    long salesSummary = oid(db, "analytics.sales_summary");

    MigrateResult result = FlywayTests.version3(db).migrate();

    assertEquals(2, result.migrationsExecuted, "V3 and the edited repeatable model");
    assertTrue(db.<String>value("SELECT pg_get_viewdef('analytics.daily_sales'::regclass)").contains("paid"));
    assertEquals("Paid sales per day", db.value("SELECT obj_description('analytics.daily_sales'::regclass, 'pg_class')"));
    assertNotEquals(salesSummary, oid(db, "analytics.sales_summary"), "the dependent was rebuilt");
    assertEquals(customerTotals, oid(db, "analytics.customer_totals"), "what does not read daily sales is left alone");
    assertEquals(List.of("sales_summary_day_key"),
        db.column("SELECT indexname FROM pg_indexes WHERE schemaname = 'analytics' AND tablename = 'sales_summary'"));
    assertEquals("Sales per day with the number of customers",
        db.value("SELECT obj_description('analytics.sales_summary'::regclass, 'pg_class')"));
    assertEquals(true, db.value("SELECT has_table_privilege(?, 'analytics.sales_summary', 'SELECT')", READER));
    assertEquals(0L, db.<Long>value("SELECT count(*) FROM analytics.sales_summary s FULL JOIN"
        + " (SELECT ordered_on, sum(amount) AS total FROM shop.orders WHERE paid GROUP BY 1) o ON o.ordered_on = s.day"
        + " WHERE s.total IS DISTINCT FROM o.total"), "the dependent holds the new definition's data, new rows included");
    assertEquals(6L, db.<Long>value("SELECT DISTINCT customers FROM analytics.sales_summary"));
    assertEquals(2L, db.<Long>value("SELECT count(DISTINCT checksum) FROM flyway_schema_history WHERE version IS NULL"),
        "the repeatable model ran again because its checksum changed");
  }

  @Test
  @Order(3)
  void migratingAgainWithNoChangeRunsNothing(TestDatabase db) {
    List<String> catalog = FlywayTests.catalog(db);
    List<String> history = FlywayTests.history(db);

    MigrateResult result = FlywayTests.version3(db).migrate();

    assertEquals(0, result.migrationsExecuted);
    assertEquals(catalog, FlywayTests.catalog(db));
    assertEquals(history, FlywayTests.history(db));
  }

  private static long oid(TestDatabase db, String relation) {
    return db.<Number>value("SELECT ?::regclass::oid::bigint", relation).longValue();
  }
}
