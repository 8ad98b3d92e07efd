package dev.mview.it.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mview.flyway.MviewRollback;
import dev.mview.it.flyway.migrations.V2__Sales_views;
import dev.mview.it.flyway.migrations.V3__Paid_daily_sales;
import dev.mview.it.flyway.migrations.V4__Drop_sales_summary;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A view migration that drops a view, and its rollback, which brings the view back as it was. */
@ExtendWith(PostgresExtension.class)
class FlywayDropTest {
  private static final String READER = "flyway_drop_test_reader";

  @Test
  void droppedViewComesBackWithItsGrantsWhenRolledBack(TestDatabase db) {
    FlywayTests.configure(db, new V2__Sales_views(), new V3__Paid_daily_sales()).load().migrate();
    db.execute("DROP ROLE IF EXISTS " + READER, "CREATE ROLE " + READER,
        "GRANT SELECT ON analytics.sales_summary TO " + READER);
    List<String> version3 = FlywayTests.catalog(db);
    List<String> history = FlywayTests.history(db);

    Flyway flyway = FlywayTests.configure(db, new V2__Sales_views(), new V3__Paid_daily_sales(),
        new V4__Drop_sales_summary()).load();
    flyway.migrate();

    assertEquals(List.of("customer_totals", "daily_sales"),
        db.column("SELECT matviewname FROM pg_matviews WHERE schemaname = 'analytics' ORDER BY 1"));
    MigrationInfo current = flyway.info().current();
    assertEquals("Drop sales summary: drop analytics.sales_summary", current.getDescription());

    MviewRollback.rollbackTo(flyway, "3");

    assertEquals(version3, FlywayTests.catalog(db));
    assertEquals(history, FlywayTests.history(db));
    assertEquals(true, db.value("SELECT has_table_privilege(?, 'analytics.sales_summary', 'SELECT')", READER));
  }
}
