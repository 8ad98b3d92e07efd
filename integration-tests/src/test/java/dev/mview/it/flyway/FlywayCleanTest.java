package dev.mview.it.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mview.it.flyway.migrations.V2__Sales_views;
import dev.mview.it.flyway.migrations.V3__Paid_daily_sales;
import dev.mview.it.flyway.migrations.after.R__Sales_views;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code flyway clean} removes the views, the journal and all, and a migrate afterwards starts over. */
@ExtendWith(PostgresExtension.class)
class FlywayCleanTest {

  @Test
  void cleanDropsViewsAndJournalAndMigrateStartsOver(TestDatabase db) {
    Flyway flyway = FlywayTests.configure(db, new V2__Sales_views(), new V3__Paid_daily_sales(), new R__Sales_views())
        .schemas("public", "shop", "analytics")
        .cleanDisabled(false)
        .load();
    flyway.migrate();
    List<String> migrated = FlywayTests.catalog(db);

    flyway.clean();

    assertEquals(List.of(), db.column("SELECT n.nspname || '.' || c.relname FROM pg_class c"
        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'shop', 'analytics')"));
    assertEquals(4, flyway.migrate().migrationsExecuted);
    assertEquals(migrated, FlywayTests.catalog(db));
  }
}
