package dev.mview.it.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mview.MviewException;
import dev.mview.it.flyway.migrations.V2__Sales_views;
import dev.mview.it.flyway.migrations.V3__Paid_daily_sales;
import dev.mview.it.flyway.migrations.after.R__Sales_views;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A SQL migration above the target: the rollback refuses, naming it, and changes nothing. */
@ExtendWith(PostgresExtension.class)
class FlywayRollbackRefusalTest {

  @Test
  void refusesWhenANonViewMigrationLiesAboveTheTarget(TestDatabase db) {
    Flyway flyway = FlywayTests.configure(db, new V2__Sales_views(), new V3__Paid_daily_sales(), new R__Sales_views())
        .locations(FlywayTests.SQL, "classpath:dev/mview/it/flyway/sql4")
        .load();
    flyway.migrate();
    List<String> catalog = FlywayTests.catalog(db);
    List<String> history = FlywayTests.history(db);

    MviewException refusal = assertThrows(MviewException.class, () -> dev.mview.flyway.MviewRollback.rollbackTo(flyway, "1"));

    assertEquals("cannot roll back to version 1: migration 4 (Orders note) (SQL V4__Orders_note.sql) lies above it and"
        + " is not an mview view migration with a journaled inverse; mview can undo only MaterializedViewMigration and"
        + " RepeatableViewMigration. Undo that migration by other means, or choose a target at or above it. Nothing"
        + " was changed.", refusal.getMessage());
    assertEquals(catalog, FlywayTests.catalog(db));
    assertEquals(history, FlywayTests.history(db));
  }
}
