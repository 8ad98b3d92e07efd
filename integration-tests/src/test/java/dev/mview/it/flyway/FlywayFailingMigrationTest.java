package dev.mview.it.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.MviewException;
import dev.mview.it.flyway.migrations.V2__Sales_views;
import dev.mview.it.flyway.migrations.V3__Broken_redefinition;
import dev.mview.it.flyway.migrations.V3__Broken_views;
import dev.mview.it.flyway.migrations.V3__Views_nowhere;
import dev.mview.it.flyway.migrations.before.R__Sales_views;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import java.util.List;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** A version 3 that fails, part-way or while planning, leaves database and history as they were. */
@ExtendWith(PostgresExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlywayFailingMigrationTest {

  @Test
  @Order(1)
  void aFailingViewMigrationLeavesDatabaseAndHistoryAsBefore(TestDatabase db) {
    FlywayTests.version2(db).migrate();
    List<String> catalog = FlywayTests.catalog(db);
    List<String> history = FlywayTests.history(db);
    List<Object> journal = db.column("SELECT id FROM flyway_schema_history_mview ORDER BY 1");

    FlywayException failure = assertThrows(FlywayException.class, () -> FlywayTests.configure(db,
        new V2__Sales_views(), new V3__Broken_views(), new R__Sales_views()).load().migrate());

    String messages = messages(failure);
    assertTrue(hasCause(failure, MviewException.class), "the mview error is kept as the cause");
    // found at planning, in the rolled-back probe, before anything ran
    assertTrue(messages.contains("V3__Broken_views failed: the query of materialized view analytics.broken does not"
        + " run: ERROR: column \"no_such_column\" does not exist"), messages);
    assertTrue(messages.contains("Nothing was changed. Fix the definition of analytics.broken and run again."), messages);
    assertEquals(catalog, FlywayTests.catalog(db));
    assertEquals(history, FlywayTests.history(db));
    assertEquals(journal, db.column("SELECT id FROM flyway_schema_history_mview ORDER BY 1"));
  }

  @Test
  @Order(2)
  void aRedefinitionThatDoesNotRunLeavesTheViewAndItsDependentsAsBefore(TestDatabase db) {
    List<String> catalog = FlywayTests.catalog(db);
    List<String> history = FlywayTests.history(db);

    FlywayException failure = assertThrows(FlywayException.class, () -> FlywayTests.configure(db,
        new V2__Sales_views(), new V3__Broken_redefinition(), new R__Sales_views()).load().migrate());

    String messages = messages(failure);
    assertTrue(messages.contains("V3__Broken_redefinition failed"), messages);
    assertTrue(messages.contains("analytics.daily_sales"), messages);
    assertEquals(catalog, FlywayTests.catalog(db));
    assertEquals(history, FlywayTests.history(db));
  }

  @Test
  @Order(3)
  void aViewInASchemaThatDoesNotExistSaysSoAndHowToCreateIt(TestDatabase db) {
    List<String> catalog = FlywayTests.catalog(db);

    FlywayException failure = assertThrows(FlywayException.class, () -> FlywayTests.configure(db,
        new V2__Sales_views(), new V3__Views_nowhere(), new R__Sales_views()).load().migrate());

    String messages = messages(failure);
    assertTrue(messages.contains("V3__Views_nowhere failed: schema reports of materialized view"
        + " reports.order_count does not exist: create it first (CREATE SCHEMA reports) in an earlier migration or"
        + " changeset. Nothing was changed. With Flyway: list it in Flyway's schemas (flyway.schemas), which Flyway"
        + " creates before it migrates, or create it in an earlier SQL migration"), messages);
    assertEquals(catalog, FlywayTests.catalog(db));
  }

  private static String messages(Throwable error) {
    StringBuilder all = new StringBuilder();
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      all.append(cause.getMessage()).append('\n');
    }
    return all.toString();
  }

  private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }
}
