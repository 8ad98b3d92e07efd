package dev.mview.it.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.it.support.CatalogSnapshot;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.QualifiedName;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.RefreshOutcome;
import dev.mview.refresh.RefreshReport;
import dev.mview.refresh.RefreshResult;
import dev.mview.refresh.RefreshStrategy;
import dev.mview.refresh.Refresher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A view without a usable unique index, read by a plain view and by a materialized view that the
 * same run refreshes: the swap rebuilds all three beside the live ones and puts them in place in
 * one short transaction, keeping every reader working with its grants; a swap killed between its
 * two transactions leaves only an unreachable work schema, which the next run removes.
 */
@ExtendWith(PostgresExtension.class)
class SwapWithReadersTest {
  private static final QualifiedName VIEW = QualifiedName.of("sr", "v");

  @BeforeEach
  void views(TestDatabase db) {
    db.execute("DROP SCHEMA IF EXISTS sr CASCADE",
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sr_reader') THEN CREATE ROLE sr_reader;"
            + " END IF; END $$",
        "CREATE SCHEMA sr", "GRANT USAGE ON SCHEMA sr TO sr_reader",
        "CREATE TABLE sr.t (id int, v int)", "INSERT INTO sr.t SELECT g, g FROM generate_series(1, 100) g",
        "CREATE MATERIALIZED VIEW sr.v AS SELECT id, v FROM sr.t",
        "CREATE VIEW sr.p AS SELECT v.id, v.v * 2 AS doubled FROM sr.v",
        "CREATE MATERIALIZED VIEW sr.r AS SELECT count(*) AS n, sum(p.doubled) AS total FROM sr.p",
        "CREATE UNIQUE INDEX r_n ON sr.r (n)",
        "GRANT SELECT ON sr.v, sr.p, sr.r TO sr_reader",
        "GRANT SELECT (doubled) ON sr.p TO sr_reader WITH GRANT OPTION",
        "COMMENT ON VIEW sr.p IS 'doubled'");
    db.execute("INSERT INTO sr.t SELECT g, g FROM generate_series(101, 150) g"); // the views are stale now
  }

  private static RefreshReport refresh(TestDatabase db, RefreshOptions options) throws Exception {
    try (Connection connection = db.connect()) {
      return Refresher.refresh(connection, options);
    }
  }

  @Test
  void theViewAndItsReadersAreRebuiltBesideAndSwappedInWithEverythingKept(TestDatabase db) throws Exception {
    List<String> before = CatalogSnapshot.of(db, "sr");

    RefreshReport report = refresh(db, RefreshOptions.builder().schemas("sr").swap(true).build());

    assertEquals(List.of(VIEW, QualifiedName.of("sr", "r")), report.results().stream().map(RefreshResult::view).toList());
    for (RefreshResult result : report.results()) {
      assertEquals(RefreshOutcome.REFRESHED, result.outcome(), result.toString());
      assertEquals(RefreshStrategy.SWAP, result.strategy(), result.toString());
    }
    assertEquals(150L, db.<Long>value("SELECT count(*) FROM sr.v"));
    assertEquals(150L, db.<Long>value("SELECT n FROM sr.r"));
    assertEquals(150L, db.<Long>value("SELECT count(*) FROM sr.p"));
    // Everything but the data is as it was: definitions, grants with grantors, comments, indexes.
    assertEquals(before, CatalogSnapshot.of(db, "sr"));
    assertEquals(List.of(), leftovers(db));
  }

  @Test
  void aSwapKilledBetweenItsTransactionsLeavesAnUnreachableCopyThatTheNextRunRemoves(TestDatabase db)
      throws Exception {
    long oid = db.<Long>value("SELECT 'sr.v'::regclass::oid::bigint");
    try (Connection reader = db.connect(); Statement reading = reader.createStatement();
        Connection refresher = db.connect()) {
      int pid = pid(refresher);
      reader.setAutoCommit(false);
      reading.execute("SELECT count(*) FROM sr.r"); // holds the swap's first drop
      CompletableFuture<RefreshReport> swap = CompletableFuture.supplyAsync(
          () -> Refresher.refresh(refresher, RefreshOptions.builder().schemas("sr").swap(true).build()));
      Gate.awaitTrue(db, "SELECT count(*) > 0 FROM pg_stat_activity WHERE pid = ? AND wait_event_type = 'Lock'", pid);
      db.execute("SELECT pg_terminate_backend(" + pid + ")");
      swap.handle((report, failure) -> null).get();
      reader.rollback();
    }
    String work = "mview_swap_" + oid;
    assertEquals(1L, db.<Long>value("SELECT count(*) FROM pg_namespace WHERE nspname = ?", work),
        "the build committed before the kill");
    assertEquals(Boolean.FALSE, db.value("SELECT has_schema_privilege('sr_reader', ?, 'USAGE')", work),
        "nobody else can read the stale copies");
    assertEquals(100L, db.<Long>value("SELECT count(*) FROM sr.v"), "the live views were not touched");
    assertEquals(List.of(work + ".p", work + ".r", work + ".v"), leftovers(db), "the README's query finds them");

    RefreshReport next = refresh(db, RefreshOptions.builder().swap(true).build());

    assertEquals(List.of(VIEW, QualifiedName.of("sr", "r")), next.results().stream().map(RefreshResult::view).toList(),
        "the copies are no targets");
    assertTrue(next.results().get(0).reason().contains("removes schema " + work + ", left by an interrupted swap"),
        next.results().get(0).reason());
    assertEquals(List.of(), leftovers(db));
    assertEquals(150L, db.<Long>value("SELECT n FROM sr.r"));
  }

  @Test
  void aMaterializedReaderOutsideTheRunKeepsTheViewFromSwapping(TestDatabase db) throws Exception {
    RefreshReport report = refresh(db, RefreshOptions.builder().views(VIEW).swap(true).build());

    RefreshResult result = report.results().get(0);
    assertEquals(RefreshStrategy.PLAIN, result.strategy());
    assertTrue(result.reason().endsWith("cannot swap: sr.r reads it and is not refreshed in this run (views bind to"
        + " the OID)"), result.reason());
    assertFalse(report.failed());
  }

  private static int pid(Connection connection) throws Exception {
    try (Statement statement = connection.createStatement();
        var rs = statement.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static List<String> leftovers(TestDatabase db) throws IOException {
    String query;
    try (InputStream in = SwapWithReadersTest.class.getResourceAsStream("swap-leftovers.sql")) {
      query = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    return db.<String>column("SELECT nspname || '.' || relname FROM (" + query.strip().replaceAll(";$", "")
        + ") leftover ORDER BY 1");
  }
}
