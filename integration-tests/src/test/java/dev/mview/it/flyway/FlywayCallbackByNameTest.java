package dev.mview.it.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The refresh callback named in Flyway's configuration, as {@code flyway.conf}, {@code flyway.toml},
 * the command line and the Maven plugin give it (Flyway reads them all into these keys), and
 * configured with Flyway placeholders.
 */
@ExtendWith(PostgresExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlywayCallbackByNameTest {
  private static final String LOCATION = "classpath:dev/mview/it/flyway/discovery";

  private static Flyway flyway(TestDatabase db, Map<String, String> placeholders) {
    Map<String, String> configuration = new HashMap<>();
    configuration.put("flyway.locations", LOCATION);
    configuration.put("flyway.callbacks", "dev.mview.flyway.MviewRefreshCallback");
    placeholders.forEach((name, value) -> configuration.put("flyway.placeholders." + name, value));
    return Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).configuration(configuration).load();
  }

  @Test
  @Order(1)
  void aRefreshThatFailsAfterMigrateSaysTheMigrationsWereAppliedAndWhatToRun(TestDatabase db) {
    FlywayException failure = assertThrows(FlywayException.class,
        () -> flyway(db, Map.of("mview_schemas", "analytics", "mview_mode", "concurrently")).migrate());

    String messages = messages(failure);
    assertTrue(messages.contains("mview refresh after migrate failed: these materialized views cannot be refreshed"
        + " without blocking readers: analytics.customer_orders (not populated"), messages);
    assertTrue(messages.contains("The migrate itself succeeded and is committed (flyway info shows what it applied);"
        + " only this refresh failed, and it was rolled back. Fix the cause above, then refresh again: run migrate once"
        + " more with the callback refreshing always (placeholder mview_always=true, or .always() in code), or call"
        + " dev.mview.refresh.Refresher.refresh for these views."), messages);
    assertEquals(List.of(true, true, true), db.column("SELECT success FROM flyway_schema_history ORDER BY installed_rank"),
        "the migrations were committed");
    assertEquals(List.of(false, false), db.column("SELECT ispopulated FROM pg_matviews WHERE schemaname = 'analytics'"));
  }

  @Test
  @Order(2)
  void namedByClassItRefreshesWhatThePlaceholdersSayAfterEveryMigrate(TestDatabase db) {
    assertEquals(0, flyway(db, Map.of("mview_views", "analytics.order_count", "mview_always", "true"))
        .migrate().migrationsExecuted);

    assertEquals(200L, db.<Long>value("SELECT orders FROM analytics.order_count"));
    assertEquals(List.of("customer_orders"), db.column("SELECT matviewname::text FROM pg_matviews"
        + " WHERE schemaname = 'analytics' AND NOT ispopulated"), "only the named view");
  }

  @Test
  @Order(3)
  void withoutMviewAlwaysItRefreshesOnlyAfterAMigrateThatAppliedSomething(TestDatabase db) {
    db.execute("INSERT INTO shop.orders VALUES (2001, 'c3', 1, true, date '2026-02-01')");

    assertEquals(0, flyway(db, Map.of("mview_schemas", "analytics")).migrate().migrationsExecuted);

    assertEquals(200L, db.<Long>value("SELECT orders FROM analytics.order_count"));
  }

  @Test
  @Order(4)
  void aPlaceholderValueItDoesNotTakeIsNamed(TestDatabase db) {
    FlywayException failure = assertThrows(FlywayException.class,
        () -> flyway(db, Map.of("mview_always", "sometimes")).migrate());

    assertTrue(messages(failure).contains("Flyway placeholder mview_always of the mview refresh callback is 'sometimes':"
        + " expected true or false"), messages(failure));
  }

  private static String messages(Throwable error) {
    StringBuilder all = new StringBuilder();
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      all.append(cause.getMessage()).append('\n');
    }
    return all.toString();
  }
}
