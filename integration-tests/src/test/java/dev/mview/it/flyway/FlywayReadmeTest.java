package dev.mview.it.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mview.flyway.MviewRefreshCallback;
import dev.mview.flyway.MviewRollback;
import dev.mview.flyway.UndoScripts;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Flyway example, run as written: the migrations in {@code dev.mview.it.flyway.readme}
 * (the README shows them in {@code db.migration}) and the calls below between the README markers.
 */
@ExtendWith(PostgresExtension.class)
class FlywayReadmeTest {

  @Test
  void theReadmeExampleWorks(TestDatabase db, @TempDir Path folder) {
    String url = db.jdbcUrl();
    String user = db.user();
    String password = db.password();
    String location = "classpath:dev/mview/it/flyway/readme";

    // README: configure
    Flyway flyway = Flyway.configure()
        .dataSource(url, user, password)
        .locations(location) // default: classpath:db/migration
        .callbacks(MviewRefreshCallback.schemas("analytics").always())
        .load();
    flyway.migrate();
    // README: end

    assertEquals(List.of("customer_totals", "daily_sales", "top_customers", "weekly_sales"),
        db.column("SELECT matviewname FROM pg_matviews WHERE schemaname = 'analytics' AND ispopulated ORDER BY 1"));
    assertEquals(3L, db.<Long>value("SELECT count(*) FROM analytics.top_customers"));
    assertEquals("Sales views: create or replace analytics.customer_totals, analytics.daily_sales, analytics.weekly_sales",
        flyway.info().applied()[1].getDescription());

    // README: undo scripts
    List<Path> scripts = UndoScripts.write(flyway, folder); // U2__Sales_views.sql
    // README: end
    assertEquals(List.of("U2__Sales_views.sql"), scripts.stream().map(p -> p.getFileName().toString()).toList());

    // README: rollback
    MviewRollback.rollbackTo(flyway, "1"); // undoes R__Reports, then V2, in one transaction
    // README: end

    assertEquals(List.of(), db.column("SELECT matviewname FROM pg_matviews WHERE schemaname = 'analytics'"));
    assertEquals(2, flyway.migrate().migrationsExecuted);
  }
}
