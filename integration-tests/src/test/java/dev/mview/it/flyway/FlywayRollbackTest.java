package dev.mview.it.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mview.flyway.MviewRollback;
import dev.mview.flyway.UndoScripts;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rolling the sales scenario back to version 1 with the free edition, migrating again, and doing
 * the same with rendered undo scripts run over JDBC.
 */
@ExtendWith(PostgresExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlywayRollbackTest {
  private static List<String> version1Catalog;
  private static List<String> version1History;
  private static List<String> version3Catalog;

  @Test
  @Order(1)
  void rollbackToVersion1LeavesExactlyTheVersion1Schema(TestDatabase db) {
    FlywayTests.configure(db).target("1").load().migrate();
    version1Catalog = FlywayTests.catalog(db);
    version1History = FlywayTests.history(db);
    Flyway flyway = FlywayTests.version3(db);
    flyway.migrate();
    version3Catalog = FlywayTests.catalog(db);

    List<MviewRollback.Undone> undone = MviewRollback.rollbackTo(flyway, "1");

    assertEquals(List.of("null Sales views", "3 Paid daily sales: create or replace analytics.daily_sales",
            "2 Sales views: create or replace analytics.customer_totals, analytics.daily_sales, analytics.sales_summary"),
        undone.stream().map(u -> u.version() + " " + u.description()).toList());
    assertEquals(version1Catalog, FlywayTests.catalog(db));
    assertEquals(version1History, FlywayTests.history(db));
    assertEquals(0L, db.<Long>value("SELECT count(*) FROM flyway_schema_history_mview"));
  }

  @Test
  @Order(2)
  void migrateAfterRollbackAppliesEverythingAgain(TestDatabase db) {
    assertEquals(3, FlywayTests.version3(db).migrate().migrationsExecuted);

    assertEquals(version3Catalog, FlywayTests.catalog(db));
    assertEquals(List.of(), MviewRollback.rollbackTo(FlywayTests.version3(db), "3"), "nothing lies above the latest version");
  }

  @Test
  @Order(3)
  void undoScriptsRunOverJdbcLeaveTheVersion1Views(TestDatabase db, @TempDir Path folder) throws IOException, SQLException {
    List<Path> written = UndoScripts.write(FlywayTests.version3(db), folder);

    assertEquals(List.of("U2__Sales_views.sql", "U3__Paid_daily_sales.sql"),
        written.stream().map(path -> path.getFileName().toString()).toList());
    try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
      statement.execute(Files.readString(folder.resolve("U3__Paid_daily_sales.sql")));
      statement.execute(Files.readString(folder.resolve("U2__Sales_views.sql")));
    }
    assertEquals(version1Catalog, FlywayTests.catalog(db));
    assertEquals(Collections.singletonList(null), db.column("SELECT version FROM flyway_schema_history_mview"),
        "the undo scripts removed their own journal entries; the repeatable's stays");
  }
}
