package dev.mview.it.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.QualifiedName;
import dev.mview.refresh.OnBusy;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.RefreshOutcome;
import dev.mview.refresh.RefreshReport;
import dev.mview.refresh.RefreshResult;
import dev.mview.refresh.Refresher;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Failures stop only their dependents; parallel scheduling; advisory locks; per-view timeouts. */
@ExtendWith(PostgresExtension.class)
class RefreshRunnerTest {

  @BeforeAll
  static void schema(TestDatabase db) {
    db.execute("CREATE SCHEMA r", "CREATE TABLE r.t (id int PRIMARY KEY)", "INSERT INTO r.t VALUES (1)",
        "CREATE TABLE r.divisor (d int)", "INSERT INTO r.divisor VALUES (1)");
    Gate.install(db, "r");
  }

  /**
   * ok1 -> ok2 and ok1 -> ok3 are independent of bad; bad -> child -> (plain view) -> grandchild
   * depend on it. bad divides by r.divisor, so setting it to 0 makes its refresh fail.
   */
  private static void failingDag(TestDatabase db, String schema) {
    db.execute("CREATE SCHEMA " + schema,
        "CREATE MATERIALIZED VIEW " + schema + ".ok1 AS SELECT id FROM r.t",
        "CREATE MATERIALIZED VIEW " + schema + ".ok2 AS SELECT id FROM " + schema + ".ok1",
        "CREATE MATERIALIZED VIEW " + schema + ".ok3 AS SELECT id FROM " + schema + ".ok1",
        "CREATE MATERIALIZED VIEW " + schema + ".bad AS SELECT id / (SELECT min(d) FROM r.divisor) AS id FROM r.t",
        "CREATE MATERIALIZED VIEW " + schema + ".child AS SELECT id FROM " + schema + ".bad",
        "CREATE VIEW " + schema + ".between AS SELECT id FROM " + schema + ".child",
        "CREATE MATERIALIZED VIEW " + schema + ".grandchild AS SELECT id FROM " + schema + ".between");
  }

  private static Map<String, RefreshOutcome> outcomes(RefreshReport report) {
    Map<String, RefreshOutcome> outcomes = new TreeMap<>();
    report.results().forEach(result -> outcomes.put(result.view().name(), result.outcome()));
    return outcomes;
  }

  private static final Map<String, RefreshOutcome> ONLY_DEPENDENTS_STOPPED = Map.of(
      "ok1", RefreshOutcome.REFRESHED, "ok2", RefreshOutcome.REFRESHED, "ok3", RefreshOutcome.REFRESHED,
      "bad", RefreshOutcome.FAILED, "child", RefreshOutcome.SKIPPED_UPSTREAM_FAILED,
      "grandchild", RefreshOutcome.SKIPPED_UPSTREAM_FAILED);

  @Test
  void aFailureStopsOnlyItsDependentsInParallel(TestDatabase db) throws Exception {
    failingDag(db, "fp");
    db.execute("UPDATE r.divisor SET d = 0", "INSERT INTO r.t VALUES (2)");
    try {
      RefreshReport report = Refresher.refresh(db.dataSource(),
          RefreshOptions.builder().schemas("fp").parallelism(2).serverCores(4).build());
      assertEquals(ONLY_DEPENDENTS_STOPPED, new TreeMap<>(outcomes(report)));
      assertEquals(2, report.connections());
      assertEquals(1, report.workersPerGather().orElseThrow(), "4 cores / 2 connections - 1");
      assertTrue(report.result(QualifiedName.of("fp", "bad")).orElseThrow().message().contains("division by zero"));
      assertEquals("not refreshed: fp.bad failed", report.result(QualifiedName.of("fp", "grandchild")).orElseThrow().message());
      assertTrue(report.failureSummary().startsWith("fp.bad FAILED: ERROR: division by zero"), report.failureSummary());
    } finally {
      db.execute("UPDATE r.divisor SET d = 1");
    }
    long rows = db.<Long>value("SELECT count(*) FROM r.t");
    assertEquals(rows, (long) db.<Long>value("SELECT count(*) FROM fp.ok2"), "independent branch refreshed");
    assertEquals(rows, (long) db.<Long>value("SELECT count(*) FROM fp.ok3"));
    assertEquals(rows - 1, (long) db.<Long>value("SELECT count(*) FROM fp.child"), "dependent left as it was");
    assertEquals(rows - 1, (long) db.<Long>value("SELECT count(*) FROM fp.grandchild"));
  }

  @Test
  void insideACallersTransactionAFailureIsRolledBackAloneAndTheCallerCommits(TestDatabase db) throws Exception {
    failingDag(db, "fs");
    db.execute("UPDATE r.divisor SET d = 0", "INSERT INTO r.t VALUES (3)");
    try (Connection connection = db.connect()) {
      connection.setAutoCommit(false);
      connection.createStatement().execute("SET LOCAL lock_timeout = '7s'");
      RefreshReport report = Refresher.refresh(connection, RefreshOptions.builder().schemas("fs")
          .lockTimeout(Duration.ofSeconds(3)).build());
      assertEquals(ONLY_DEPENDENTS_STOPPED, new TreeMap<>(outcomes(report)));
      try (var rs = connection.createStatement().executeQuery("SHOW lock_timeout")) {
        rs.next();
        assertEquals("7s", rs.getString(1), "the caller's setting is put back");
      }
      try (var rs = connection.createStatement().executeQuery(
          "SELECT (SELECT count(*) FROM fs.ok2) = (SELECT count(*) FROM r.t)")) {
        rs.next();
        assertTrue(rs.getBoolean(1), "the caller's transaction sees the refreshed contents");
      }
      connection.commit();
    } finally {
      db.execute("UPDATE r.divisor SET d = 1");
    }
    long rows = db.<Long>value("SELECT count(*) FROM r.t");
    assertEquals(rows, (long) db.<Long>value("SELECT count(*) FROM fs.ok2"));
    assertEquals(rows - 1, (long) db.<Long>value("SELECT count(*) FROM fs.child"));
  }

  /**
   * slow (held at a gate) and fast -> after_fast: with two connections after_fast is refreshed
   * while slow is still running, which a level-by-level runner would not do.
   */
  @Test
  void aViewStartsAsSoonAsItsOwnUpstreamIsDone(TestDatabase db) throws Exception {
    db.execute("CREATE SCHEMA eager",
        "CREATE MATERIALIZED VIEW eager.slow AS SELECT id FROM r.t WHERE r.gate(7101)",
        "CREATE MATERIALIZED VIEW eager.fast AS SELECT id FROM r.t WITH NO DATA",
        "CREATE MATERIALIZED VIEW eager.after_fast AS SELECT id FROM eager.fast WITH NO DATA");
    try (Gate gate = Gate.close(db, 7101)) {
      CompletableFuture<RefreshReport> refresh = CompletableFuture.supplyAsync(() -> Refresher.refresh(
          db.dataSource(), RefreshOptions.builder().schemas("eager").parallelism(2).build()));
      gate.awaitSomeoneWaiting();
      Gate.awaitTrue(db, "SELECT relispopulated FROM pg_class WHERE oid = 'eager.after_fast'::regclass");
      assertFalse(refresh.isDone(), "slow is still held at the gate");
      gate.open();
      assertFalse(refresh.get().failed(), refresh.get().failureSummary());
    }
  }

  /**
   * While one refresh holds a view (at the gate), its advisory lock shows in pg_locks, a second
   * refresh with SKIP leaves it alone, and one with WAIT waits and starts only after the first ended.
   */
  @Test
  void twoRefreshesNeverRefreshTheSameViewAtOnce(TestDatabase db) throws Exception {
    // CONCURRENTLY (unique index): a plain refresh's ACCESS EXCLUSIVE lock would hold up the second
    // call's catalog read (pg_get_viewdef locks the view) before it ever reached the advisory lock.
    db.execute("CREATE SCHEMA busy", "CREATE MATERIALIZED VIEW busy.v AS SELECT id FROM r.t WHERE r.gate(7201)",
        "CREATE UNIQUE INDEX v_id ON busy.v (id)");
    QualifiedName view = QualifiedName.of("busy", "v");
    String lockHeld = "SELECT count(*) = 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = "
        + Refresher.LOCK_CLASS + " AND objid = " + Integer.toUnsignedLong(Refresher.lockKey(view))
        + " AND objsubid = 2 AND granted";
    String lockWaited = lockHeld.replace("AND granted", "AND NOT granted");
    RefreshOptions options = RefreshOptions.builder().views(view).build();
    try (Gate gate = Gate.close(db, 7201)) {
      CompletableFuture<RefreshReport> first = CompletableFuture.supplyAsync(() -> Refresher.refresh(db.dataSource(), options));
      gate.awaitSomeoneWaiting();
      assertEquals(Boolean.TRUE, db.value(lockHeld), "the first refresh holds the view's advisory lock");

      RefreshReport skipped = Refresher.refresh(db.dataSource(), options.toBuilder().onBusy(OnBusy.SKIP).build());
      assertEquals(RefreshOutcome.SKIPPED_BUSY, skipped.result(view).orElseThrow().outcome());

      RefreshReport timedOut = Refresher.refresh(db.dataSource(),
          options.toBuilder().lockTimeout(Duration.ofMillis(50)).build());
      RefreshResult timeout = timedOut.result(view).orElseThrow();
      assertEquals(RefreshOutcome.FAILED, timeout.outcome());
      assertTrue(timeout.message().contains("55P03"), timeout.message());

      CompletableFuture<RefreshReport> second = CompletableFuture.supplyAsync(() -> Refresher.refresh(db.dataSource(), options));
      Gate.awaitTrue(db, lockWaited);
      assertFalse(second.isDone(), "the second refresh waits for the first");
      gate.open();
      RefreshResult one = first.get().result(view).orElseThrow();
      RefreshResult two = second.get().result(view).orElseThrow();
      assertEquals(RefreshOutcome.REFRESHED, one.outcome());
      assertEquals(RefreshOutcome.REFRESHED, two.outcome());
      assertTrue(two.started().isAfter(one.finished()), "the second began after the first had finished");
    }
    assertEquals(Boolean.FALSE, db.value(lockHeld.replace(" AND granted", "")), "no lock left behind");
  }

  @Test
  void statementTimeoutCancelsOneViewOnly(TestDatabase db) throws Exception {
    db.execute("CREATE SCHEMA st", "CREATE MATERIALIZED VIEW st.held AS SELECT id FROM r.t WHERE r.gate(7301)",
        "CREATE MATERIALIZED VIEW st.free AS SELECT id FROM r.t");
    try (Gate gate = Gate.close(db, 7301); Connection connection = db.connect()) {
      RefreshReport report = Refresher.refresh(connection, RefreshOptions.builder().schemas("st")
          .statementTimeout(Duration.ofMillis(200)).build());
      assertEquals(RefreshOutcome.FAILED, report.result(QualifiedName.of("st", "held")).orElseThrow().outcome());
      assertTrue(report.result(QualifiedName.of("st", "held")).orElseThrow().message().contains("57014"));
      assertEquals(RefreshOutcome.REFRESHED, report.result(QualifiedName.of("st", "free")).orElseThrow().outcome());
      try (var rs = connection.createStatement().executeQuery("SHOW statement_timeout")) {
        rs.next();
        assertEquals("0", rs.getString(1), "SET LOCAL: the session keeps its own setting");
      }
      gate.open();
    }
  }
}
