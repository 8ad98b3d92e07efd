package dev.mview.it.liquibase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's Liquibase examples, exactly as shown there (ReadmeCodeTest keeps them identical). */
@ExtendWith(PostgresExtension.class)
class LiquibaseReadmeTest {
  private static final String DIR = "dev/mview/it/liquibase/readme/";

  @BeforeEach
  void cleanSlate(TestDatabase db) {
    db.execute("DROP SCHEMA IF EXISTS analytics, shop CASCADE",
        "DROP TABLE IF EXISTS databasechangelog, databasechangeloglock",
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reporting') THEN"
            + " CREATE ROLE reporting; END IF; END $$");
  }

  @Test
  void theXmlExampleCreatesRefreshesAndReplacesKeepingTheReadersGrant(TestDatabase db) throws Exception {
    LiquibaseCommands.on(db).update(DIR + "changelog.xml");

    assertEquals(List.of("customer_totals", "daily_sales", "weekly_sales"),
        db.column("SELECT matviewname::text FROM pg_matviews WHERE schemaname = 'analytics' ORDER BY 1"));
    assertEquals(List.of("day", "total", "orders"), db.column("SELECT attname::text FROM pg_attribute"
        + " WHERE attrelid = 'analytics.daily_sales'::regclass AND attnum > 0 ORDER BY attnum"));
    assertTrue(db.<Boolean>value("SELECT has_table_privilege('reporting', 'analytics.weekly_sales', 'SELECT')"));
    assertEquals("Sales per week", db.value("SELECT obj_description('analytics.weekly_sales'::regclass, 'pg_class')"));
    assertEquals(List.of("weekly_sales_week_key"),
        db.column("SELECT indexname::text FROM pg_indexes WHERE tablename = 'weekly_sales'"));
  }

  /**
   * A runAlways changeset runs again on every update and becomes the newest row of the history, so
   * rollback-count 1 then undoes only the refresh, which does nothing; the release tag the README
   * recommends rolls back the release.
   */
  @Test
  void afterAnUpdateRollbackCountOneUndoesOnlyTheRefreshAndTheReleaseTagUndoesTheRelease(TestDatabase db) throws Exception {
    LiquibaseCommands.on(db).update(DIR + "changelog.xml");
    LiquibaseCommands.on(db).update(DIR + "changelog.xml"); // the refresh runs again

    assertEquals("refresh", db.value("SELECT id FROM databasechangelog ORDER BY orderexecuted DESC LIMIT 1"));
    LiquibaseCommands.on(db).rollbackCount(DIR + "changelog.xml", 1);
    assertEquals(List.of("day", "total", "orders"), columns(db), "only the refresh was rolled back");

    LiquibaseCommands.on(db).update(DIR + "changelog.xml");
    LiquibaseCommands.on(db).rollbackToTag(DIR + "changelog.xml", "release-1");

    assertEquals(List.of("day", "total"), columns(db), "the release after the tag is rolled back");
    assertTrue(db.<Boolean>value("SELECT has_table_privilege('reporting', 'analytics.weekly_sales', 'SELECT')"));
  }

  private static List<String> columns(TestDatabase db) {
    return db.column("SELECT attname::text FROM pg_attribute WHERE attrelid = 'analytics.daily_sales'::regclass"
        + " AND attnum > 0 ORDER BY attnum");
  }

  @Test
  void theYamlExampleCreatesAndRefreshes(TestDatabase db) throws Exception {
    LiquibaseCommands.on(db).update(DIR + "changelog.yaml");
    db.execute("INSERT INTO shop.orders VALUES (1000, 7, date '2026-03-01')");

    LiquibaseCommands.on(db).update(DIR + "changelog.yaml");

    assertEquals(List.of(true, true), db.column("SELECT ispopulated FROM pg_matviews WHERE schemaname = 'analytics'"));
    assertEquals(db.<Object>value("SELECT sum(amount) FROM shop.orders"),
        db.value("SELECT sum(total) FROM analytics.weekly_sales"), "the runAlways refresh saw the new order");
  }
}
