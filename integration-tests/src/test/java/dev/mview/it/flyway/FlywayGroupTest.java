package dev.mview.it.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mview.flyway.MviewRollback;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** With Flyway's group mode all pending migrations share one transaction; the journal still matches the history. */
@ExtendWith(PostgresExtension.class)
class FlywayGroupTest {

  @Test
  void groupedMigrationsAreJournaledAndRolledBack(TestDatabase db) {
    FlywayTests.configure(db).target("1").load().migrate();
    List<String> version1 = FlywayTests.catalog(db);
    Flyway flyway = new FluentConfiguration().configuration(FlywayTests.version3(db).getConfiguration()).group(true).load();

    assertEquals(3, flyway.migrate().migrationsExecuted);
    assertEquals(3, MviewRollback.rollbackTo(flyway, "1").size());

    assertEquals(version1, FlywayTests.catalog(db));
  }
}
