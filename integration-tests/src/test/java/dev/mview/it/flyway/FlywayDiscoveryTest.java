package dev.mview.it.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.flyway.MviewRefreshCallback;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.refresh.RefreshMode;
import dev.mview.refresh.RefreshOptions;
import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * View migrations found by Flyway's classpath scan (a location of their own, as {@code db/migration}
 * would be), with the refresh callback registered as an instance.
 */
@ExtendWith(PostgresExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlywayDiscoveryTest {
  private static final String LOCATION = "classpath:dev/mview/it/flyway/discovery";

  private static Flyway flyway(TestDatabase db, MviewRefreshCallback callback) {
    return Flyway.configure()
        .dataSource(db.jdbcUrl(), db.user(), db.password())
        .locations(LOCATION)
        .callbacks(callback)
        .load();
  }

  @Test
  @Order(1)
  void scannedMigrationsRunAndTheCallbackFillsViewsCreatedEmpty(TestDatabase db) {
    Flyway flyway = flyway(db, MviewRefreshCallback.schemas("analytics"));

    assertEquals(3, flyway.migrate().migrationsExecuted);

    assertEquals(List.of("1 Shop tables", "2 Report views: create or replace analytics.customer_orders, analytics.order_count",
            "null Order count by customer"),
        Arrays.stream(flyway.info().applied()).map(info -> info.getVersion() + " " + info.getDescription()).toList());
    assertEquals(List.of(true, true), db.column("SELECT ispopulated FROM pg_matviews WHERE schemaname = 'analytics'"));
    assertEquals(200L, db.<Long>value("SELECT orders FROM analytics.order_count"));
    assertEquals("c0", db.value("SELECT customer FROM analytics.busiest_customer"));
  }

  @Test
  @Order(2)
  void byDefaultTheCallbackRefreshesOnlyWhenAMigrationWasApplied(TestDatabase db) {
    db.execute("INSERT INTO shop.orders VALUES (2001, 'c3', 1, true, date '2026-02-01')");

    assertEquals(0, flyway(db, MviewRefreshCallback.schemas("analytics")).migrate().migrationsExecuted);

    assertEquals(200L, db.<Long>value("SELECT orders FROM analytics.order_count"));
  }

  @Test
  @Order(3)
  void alwaysRefreshesAfterEveryMigrate(TestDatabase db) {
    assertEquals(0, flyway(db, MviewRefreshCallback.views("analytics.order_count").always()).migrate().migrationsExecuted);

    assertEquals(201L, db.<Long>value("SELECT orders FROM analytics.order_count"));
  }

  @Test
  @Order(4)
  void theCallbackRefreshesTheWayItsOptionsSay(TestDatabase db) {
    MviewRefreshCallback strict = MviewRefreshCallback.of(RefreshOptions.builder()
        .schemas("analytics").mode(RefreshMode.CONCURRENTLY).build()).always();
    db.execute("INSERT INTO shop.orders VALUES (2002, 'c4', 1, true, date '2026-02-02')");

    FlywayException failure = assertThrows(FlywayException.class, () -> flyway(db, strict).migrate());

    assertTrue(failure.getMessage().contains("analytics.order_count"), failure.getMessage());
    assertEquals(201L, db.<Long>value("SELECT orders FROM analytics.order_count"), "nothing was refreshed");
  }
}
