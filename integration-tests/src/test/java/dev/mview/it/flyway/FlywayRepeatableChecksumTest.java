package dev.mview.it.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mview.it.flyway.migrations.V2__Sales_views;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's promise about the repeatable migration's checksum: not for white space. */
@ExtendWith(PostgresExtension.class)
class FlywayRepeatableChecksumTest {

  @Test
  void aQueryFileLaidOutAnewDoesNotRunTheRepeatableMigrationAgain(TestDatabase db) {
    assertEquals(3, FlywayTests.version2(db).migrate().migrationsExecuted);
    List<String> history = FlywayTests.history(db);
    long daily = db.<Long>value("SELECT 'analytics.daily_sales'::regclass::oid::bigint");

    assertEquals(0, FlywayTests.configure(db, new V2__Sales_views(),
        new dev.mview.it.flyway.migrations.relaid.R__Sales_views()).load().migrate().migrationsExecuted);

    assertEquals(history, FlywayTests.history(db), "no superseded row: the checksum is the same");
    assertEquals(daily, db.<Long>value("SELECT 'analytics.daily_sales'::regclass::oid::bigint"));
  }
}
