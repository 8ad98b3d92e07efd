package dev.mview.it.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mview.flyway.MviewRefreshCallback;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Flyway paths record their refreshes beside Flyway's schema history: the repeatable
 * migration's and the callback's, each naming itself, and none for a refresh Flyway rolled back.
 */
@ExtendWith(PostgresExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlywayRefreshHistoryTest {
  private static Flyway flyway(TestDatabase db, MviewRefreshCallback callback) {
    return Flyway.configure()
        .dataSource(db.jdbcUrl(), db.user(), db.password())
        .schemas("fw_history")
        .locations("classpath:dev/mview/it/flyway/readme")
        .callbacks(callback)
        .load();
  }

  private static List<String> history(TestDatabase db) {
    return db.column("SELECT view_schema || '.' || view_name || ' ' || strategy || ' ' || outcome || ' by ' || ran_by"
        + " FROM fw_history.mview_refresh_history ORDER BY id");
  }

  @Test
  @Order(1)
  void theRepeatableMigrationAndTheCallbackRecordTheirRefreshesBesideFlywaysHistory(TestDatabase db) {
    flyway(db, MviewRefreshCallback.views("analytics.daily_sales").always()).migrate();

    assertEquals(List.of(
        "analytics.top_customers CONCURRENTLY REFRESHED by flyway migration Reports",
        "analytics.daily_sales CONCURRENTLY REFRESHED by flyway callback"), history(db));
    assertEquals(0L, db.<Long>value("SELECT count(*) FROM pg_class WHERE relname = 'mview_refresh_history'"
        + " AND relnamespace <> 'fw_history'::regnamespace"));
  }

  @Test
  @Order(2)
  void aCallbackRefreshThatFailsIsRolledBackWithFlywaysTransactionAndLeavesNoRow(TestDatabase db) {
    db.execute("CREATE TABLE analytics.divisor (d int)", "INSERT INTO analytics.divisor VALUES (0)",
        "CREATE MATERIALIZED VIEW analytics.bad AS SELECT 1 AS one WITH NO DATA");
    db.execute("CREATE OR REPLACE VIEW analytics.divisor_view AS SELECT 1 / min(d) AS q FROM analytics.divisor");
    db.execute("DROP MATERIALIZED VIEW analytics.bad",
        "CREATE MATERIALIZED VIEW analytics.bad AS SELECT q FROM analytics.divisor_view WITH NO DATA");

    FlywayException failure = assertThrows(FlywayException.class,
        () -> flyway(db, MviewRefreshCallback.schemas("analytics").always()).migrate());

    assertEquals(true, failure.getMessage().contains("analytics.bad FAILED"), failure.getMessage());
    assertEquals(2, history(db).size(), "the other views' refreshes and the failure went with Flyway's rollback");
    db.execute("UPDATE analytics.divisor SET d = 1");
    flyway(db, MviewRefreshCallback.views("analytics.bad").always()).migrate();
    assertEquals("analytics.bad PLAIN REFRESHED by flyway callback", history(db).get(2));
  }
}
