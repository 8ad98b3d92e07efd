package dev.mview.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.MviewException;
import dev.mview.catalog.Catalog;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.QualifiedName;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Found by the suite's concurrent refreshes: a catalog read that deparses (share locks on the
 * views, one after another) lost a deadlock to another session's swap (exclusive locks) and failed
 * as "could not read the views of the database: deadlock detected". A read that loses a deadlock
 * is taken again, like one that saw a view dropped under it, and when it keeps losing says the
 * catalog changed while it read — the error a retry resolves.
 */
@Tag("reliability")
@ExtendWith(PostgresExtension.class)
class CatalogDeadlockTest {
  @Test
  void aReadThatLosesADeadlockIsTakenAgainAndFailsOnlyAsCatalogChanged(TestDatabase db) throws Exception {
    db.execute("CREATE SCHEMA dl", "CREATE TABLE dl.t (id int)", "CREATE MATERIALIZED VIEW dl.y AS SELECT id FROM dl.t",
        "CREATE MATERIALIZED VIEW dl.z AS SELECT id FROM dl.t");
    try (Connection reader = db.connect(); Connection other = db.connect();
        Statement otherStatement = other.createStatement()) {
      // The reader's transaction reads dl.y; the other session refreshes dl.z (an exclusive lock) and then
      // waits to refresh dl.y.
      reader.setAutoCommit(false);
      try (Statement statement = reader.createStatement()) {
        statement.execute("SET deadlock_timeout = '50ms'");
        statement.execute("SELECT count(*) FROM dl.y");
      }
      other.setAutoCommit(false);
      otherStatement.execute("REFRESH MATERIALIZED VIEW dl.z");
      CompletableFuture<Void> alter = CompletableFuture.runAsync(() -> {
        try {
          otherStatement.execute("REFRESH MATERIALIZED VIEW dl.y");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (db.<Long>value("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'dl.y'::regclass") == 0) {
        assertTrue(System.nanoTime() < deadline, "the other session never waited for dl.y");
        Thread.sleep(20);
      }
      // Deparsing dl.z waits for the other session, which waits for the reader: the reader loses every time.
      MviewException e = assertThrows(MviewException.class, () -> Catalog.read(reader));
      assertEquals(MviewException.Kind.CATALOG_CHANGED, e.kind(), e.getMessage());
      reader.rollback();
      alter.get();
      other.commit();
    }
    try (Connection reader = db.connect()) {
      assertEquals(true, Catalog.read(reader).view(QualifiedName.of("dl", "z")).isPresent());
    }
  }
}
