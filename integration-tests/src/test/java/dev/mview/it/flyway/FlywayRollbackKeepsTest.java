package dev.mview.it.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.flyway.MviewRollback;
import dev.mview.it.flyway.extract.V2__Base_views;
import dev.mview.it.flyway.extract.V3__Extract_paid_orders;
import dev.mview.it.flyway.migrations.V2__Sales_views;
import dev.mview.it.flyway.migrations.V3__Paid_daily_sales;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A rollback is a redefinition back: what was granted, commented, owned and indexed by hand after
 * the release is still there once the release is rolled back.
 */
@ExtendWith(PostgresExtension.class)
class FlywayRollbackKeepsTest {
  private static final String ROLE = "flyway_rollback_keeps_reader";

  @BeforeEach
  void emptyDatabase(TestDatabase db) {
    db.execute("DROP SCHEMA IF EXISTS analytics, shop CASCADE",
        "DROP TABLE IF EXISTS flyway_schema_history, flyway_schema_history_mview");
  }

  @Test
  void rollingBackAReplaceKeepsWhatTheViewsWereGivenSince(TestDatabase db) {
    Flyway flyway = FlywayTests.configure(db, new V2__Sales_views(), new V3__Paid_daily_sales()).load();
    flyway.migrate();
    assertTrue(db.<String>value("SELECT pg_get_viewdef('analytics.daily_sales'::regclass)").contains("paid"));
    // after the release: a new reader, its grants, an index and a column comment made by hand, a new owner
    db.execute("DROP ROLE IF EXISTS " + ROLE, "CREATE ROLE " + ROLE, "GRANT USAGE, CREATE ON SCHEMA analytics TO " + ROLE,
        "GRANT SELECT ON analytics.sales_summary TO " + ROLE,
        "GRANT SELECT (day, total) ON analytics.daily_sales TO " + ROLE,
        "CREATE INDEX sales_summary_total_idx ON analytics.sales_summary (total)",
        "COMMENT ON COLUMN analytics.sales_summary.total IS 'paid and unpaid'",
        "ALTER MATERIALIZED VIEW analytics.daily_sales OWNER TO " + ROLE);

    MviewRollback.rollbackTo(flyway, "2");

    assertFalse(db.<String>value("SELECT pg_get_viewdef('analytics.daily_sales'::regclass)").contains("paid"),
        "daily_sales is defined as version 2 defined it");
    assertEquals("Sales per day", db.value("SELECT obj_description('analytics.daily_sales'::regclass, 'pg_class')"));
    assertEquals(true, db.value("SELECT has_table_privilege(?, 'analytics.sales_summary', 'SELECT')", ROLE));
    assertEquals(true, db.value("SELECT has_column_privilege(?, 'analytics.daily_sales', 'total', 'SELECT')", ROLE));
    assertEquals(ROLE, db.value("SELECT pg_get_userbyid(relowner)::text FROM pg_class WHERE oid = 'analytics.daily_sales'::regclass"));
    assertEquals(List.of("sales_summary_day_key", "sales_summary_total_idx"),
        db.column("SELECT indexname::text FROM pg_indexes WHERE tablename = 'sales_summary' ORDER BY 1"));
    assertEquals("paid and unpaid", db.value("SELECT col_description('analytics.sales_summary'::regclass, 2)"));
    assertEquals(List.of("1", "2"), db.column("SELECT version FROM flyway_schema_history ORDER BY installed_rank"));
  }

  @Test
  void rollingBackAViewThatWasMadeToReadANewOneDropsTheNewOne(TestDatabase db) {
    Flyway flyway = FlywayTests.configure(db, new V2__Base_views(), new V3__Extract_paid_orders()).load();
    flyway.migrate();
    assertEquals(List.of("analytics.paid_orders"), db.column("SELECT DISTINCT refobjid::regclass::text FROM pg_depend d"
        + " JOIN pg_rewrite r ON r.oid = d.objid WHERE r.ev_class = 'analytics.totals'::regclass"
        + " AND d.refobjid <> r.ev_class AND d.refobjid::regclass::text LIKE 'analytics.%'"));

    MviewRollback.rollbackTo(flyway, "2");

    assertEquals(List.of("totals"), db.column("SELECT matviewname::text FROM pg_matviews WHERE schemaname = 'analytics'"));
    assertFalse(db.<String>value("SELECT pg_get_viewdef('analytics.totals'::regclass)").contains("paid"));
  }
}
