package dev.mview.it.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.catalog.Catalog;
import dev.mview.catalog.LiveView;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.QualifiedName;
import dev.mview.refresh.RefreshMode;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.RefreshOutcome;
import dev.mview.refresh.RefreshReport;
import dev.mview.refresh.RefreshResult;
import dev.mview.refresh.RefreshStrategy;
import dev.mview.refresh.Refresher;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The swap refresh keeps everything a view carries, and readers are not held up by the build. */
@ExtendWith(PostgresExtension.class)
class SwapRefreshTest {
  private static final String OWNER = "swap_refresh_owner";
  private static final String READER = "swap_refresh_reader";

  @BeforeAll
  static void roles(TestDatabase db) {
    for (String role : List.of(OWNER, READER)) {
      db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN"
          + " CREATE ROLE " + role + "; END IF; END $$");
    }
    db.execute("CREATE SCHEMA w", "GRANT CREATE, USAGE ON SCHEMA w TO " + OWNER,
        "CREATE TABLE w.t (id int PRIMARY KEY, v int)", "INSERT INTO w.t SELECT i, i FROM generate_series(1, 100) i",
        "GRANT SELECT ON w.t TO " + OWNER);
    Gate.install(db, "w");
  }

  private static Catalog catalog(TestDatabase db) throws Exception {
    try (Connection connection = db.connect()) {
      return Catalog.read(connection);
    }
  }

  private static RefreshReport refresh(TestDatabase db, RefreshOptions options) throws Exception {
    try (Connection connection = db.connect()) {
      return Refresher.refresh(connection, options);
    }
  }

  @Test
  void swapKeepsIndexesGrantsCommentsOwnerOptionsAndRefreshesTheData(TestDatabase db) throws Exception {
    db.execute(
        "CREATE MATERIALIZED VIEW w.\"Keep All\" WITH (fillfactor = 70) AS SELECT id, v, v * 2 AS \"Double\" FROM w.t",
        "CREATE INDEX keep_id ON w.\"Keep All\" (id)",
        "CREATE UNIQUE INDEX \"Keep Partial\" ON w.\"Keep All\" (v) WHERE v > 10",
        "CREATE INDEX keep_expr ON w.\"Keep All\" ((v + id))",
        "COMMENT ON MATERIALIZED VIEW w.\"Keep All\" IS 'it''s kept'",
        "COMMENT ON COLUMN w.\"Keep All\".\"Double\" IS 'twice v'",
        "GRANT SELECT ON w.\"Keep All\" TO " + READER + " WITH GRANT OPTION",
        "GRANT SELECT (id) ON w.\"Keep All\" TO PUBLIC",
        "ALTER MATERIALIZED VIEW w.\"Keep All\" OWNER TO " + OWNER,
        "INSERT INTO w.t SELECT i, i FROM generate_series(101, 150) i");
    QualifiedName view = QualifiedName.of("w", "Keep All");
    LiveView before = catalog(db).view(view).orElseThrow();

    RefreshReport report = refresh(db, RefreshOptions.builder().views(view).swap(true).build());

    RefreshResult result = report.result(view).orElseThrow();
    assertEquals(RefreshOutcome.REFRESHED, result.outcome(), result.message());
    assertEquals(RefreshStrategy.SWAP, result.strategy());
    assertEquals(150L, result.rows());
    Catalog afterCatalog = catalog(db);
    LiveView after = afterCatalog.view(view).orElseThrow();
    assertNotEquals(before.oid(), after.oid(), "a swap installs a new relation");
    assertEquals(before.definition(), after.definition());
    assertEquals(before.columns(), after.columns());
    assertEquals(before.indexes(), after.indexes(), "same names, definitions, uniqueness, predicates");
    assertEquals(before.grants(), after.grants());
    assertEquals(before.comment(), after.comment());
    assertEquals(before.columnComments(), after.columnComments());
    assertEquals(OWNER, after.owner());
    assertEquals(before.options(), after.options());
    assertEquals(before.tablespace(), after.tablespace());
    assertTrue(after.populated());
    assertEquals(150L, (long) db.<Long>value("SELECT count(*) FROM w.\"Keep All\""));
    assertEquals(300L, (long) db.<Long>value("SELECT max(\"Double\")::bigint FROM w.\"Keep All\""));
    assertEquals(List.of(), db.column("SELECT relname::text FROM pg_class WHERE relname LIKE 'mview_swap%'"),
        "nothing temporary is left behind");
    assertTrue(db.<Long>value("SELECT reltuples::bigint FROM pg_class WHERE oid = ?::oid", after.oid()) > 0,
        "the new copy has statistics");
  }

  @Test
  void somethingOtherThanAViewDependingOnItFallsBackToPlainAndCleansUp(TestDatabase db) throws Exception {
    db.execute("CREATE MATERIALIZED VIEW w.typed AS SELECT id, v FROM w.t",
        "CREATE FUNCTION w.rows_of_typed() RETURNS SETOF w.typed LANGUAGE sql AS 'SELECT * FROM w.typed'",
        "INSERT INTO w.t VALUES (1000, 1000)");
    QualifiedName view = QualifiedName.of("w", "typed");
    long oid = catalog(db).view(view).orElseThrow().oid();

    RefreshResult result = refresh(db, RefreshOptions.builder().views(view).swap(true).build()).result(view).orElseThrow();

    assertEquals(RefreshOutcome.REFRESHED, result.outcome(), result.message());
    assertEquals(RefreshStrategy.PLAIN, result.strategy());
    assertTrue(result.reason().startsWith("no usable unique index: it has no unique index; built beside it and"
        + " swapped in; swap impossible (ERROR: cannot drop materialized view w.typed because other objects"
        + " depend on it"), result.reason());
    assertTrue(result.reason().endsWith("refreshed plain instead"), result.reason());
    assertEquals(oid, catalog(db).view(view).orElseThrow().oid(), "still the same relation");
    assertEquals(Boolean.TRUE, db.value("SELECT EXISTS (SELECT FROM w.typed WHERE id = 1000)"));
    assertEquals(List.of(), db.column("SELECT relname::text FROM pg_class WHERE relname LIKE 'mview_swap%'"));
  }

  /**
   * While the new copy is being built (held at the gate), a reader's queries complete and see the
   * old contents; a plain refresh of the same view, by contrast, leaves a reader waiting on its lock.
   */
  @Test
  void readersGoOnWhileTheSwapBuildsButWaitDuringAPlainRefresh(TestDatabase db) throws Exception {
    db.execute("CREATE MATERIALIZED VIEW w.gated AS SELECT id, v FROM w.t WHERE w.gate(7001)",
        "CREATE INDEX gated_id ON w.gated (id)");
    QualifiedName view = QualifiedName.of("w", "gated");
    long rowsBefore = db.<Long>value("SELECT count(*) FROM w.gated");
    db.execute("INSERT INTO w.t VALUES (2000, 2000)");

    try (Gate gate = Gate.close(db, 7001); Connection reader = db.connect()) {
      CompletableFuture<RefreshReport> refresh = CompletableFuture.supplyAsync(
          () -> uncheckedRefresh(db, RefreshOptions.builder().views(view).swap(true).build()));
      gate.awaitSomeoneWaiting();
      for (int i = 0; i < 20; i++) {
        assertEquals(rowsBefore, count(reader, "w.gated"), "the reader reads the old contents, unblocked");
      }
      assertFalse(refresh.isDone());
      gate.open();
      assertEquals(RefreshStrategy.SWAP, refresh.get().result(view).orElseThrow().strategy());
      assertEquals(rowsBefore + 1, count(reader, "w.gated"), "after the swap the reader sees the new contents");
    }

    try (Gate gate = Gate.close(db, 7001); Connection reader = db.connect()) {
      CompletableFuture<RefreshReport> refresh = CompletableFuture.supplyAsync(
          () -> uncheckedRefresh(db, RefreshOptions.builder().views(view).mode(RefreshMode.PLAIN).build()));
      gate.awaitSomeoneWaiting();
      CompletableFuture<Long> read = CompletableFuture.supplyAsync(() -> uncheckedCount(reader, "w.gated"));
      Gate.awaitTrue(db, "SELECT count(*) > 0 FROM pg_locks WHERE relation = 'w.gated'::regclass AND NOT granted");
      assertFalse(read.isDone(), "a plain refresh blocks the reader");
      gate.open();
      assertEquals(RefreshOutcome.REFRESHED, refresh.get().result(view).orElseThrow().outcome());
      assertEquals(rowsBefore + 1, read.get());
    }
  }

  /** The same with a unique index: CONCURRENTLY, and the reader reads on while it is held at the gate. */
  @Test
  void readersGoOnDuringAConcurrentRefresh(TestDatabase db) throws Exception {
    db.execute("CREATE MATERIALIZED VIEW w.gated_unique AS SELECT id, v FROM w.t WHERE w.gate(7002)",
        "CREATE UNIQUE INDEX gated_unique_id ON w.gated_unique (id)");
    QualifiedName view = QualifiedName.of("w", "gated_unique");
    long rowsBefore = db.<Long>value("SELECT count(*) FROM w.gated_unique");
    db.execute("INSERT INTO w.t VALUES (3000, 3000)");
    try (Gate gate = Gate.close(db, 7002); Connection reader = db.connect()) {
      CompletableFuture<RefreshReport> refresh = CompletableFuture.supplyAsync(
          () -> uncheckedRefresh(db, RefreshOptions.builder().views(view).build()));
      gate.awaitSomeoneWaiting();
      for (int i = 0; i < 20; i++) {
        assertEquals(rowsBefore, count(reader, "w.gated_unique"), "the reader reads the old contents, unblocked");
      }
      assertFalse(refresh.isDone());
      gate.open();
      assertEquals(RefreshStrategy.CONCURRENTLY, refresh.get().result(view).orElseThrow().strategy());
      assertEquals(rowsBefore + 1, count(reader, "w.gated_unique"));
    }
  }

  /**
   * Names that are keywords only from PostgreSQL 16 on: a 14 or 15 server writes them bare in
   * pg_get_indexdef, where mview quotes them (run with -Dpg=15 to see it matter).
   */
  @Test
  void swapsAViewAndIndexNamedWithNewerKeywords(TestDatabase db) throws Exception {
    db.execute("CREATE MATERIALIZED VIEW w.\"json\" AS SELECT id, v FROM w.t",
        "CREATE INDEX \"system_user\" ON w.\"json\" (id)");
    QualifiedName view = QualifiedName.of("w", "json");
    LiveView before = catalog(db).view(view).orElseThrow();

    RefreshResult result = refresh(db, RefreshOptions.builder().views(view).swap(true).build()).result(view).orElseThrow();

    assertEquals(RefreshOutcome.REFRESHED, result.outcome(), result.message());
    assertEquals(RefreshStrategy.SWAP, result.strategy());
    LiveView after = catalog(db).view(view).orElseThrow();
    assertNotEquals(before.oid(), after.oid());
    assertEquals(before.indexes(), after.indexes());
  }

  /**
   * A migration replaces the view (drop and create: a new OID) while its copy is held at the gate:
   * the swap must not drop the new view and put a copy of the old definition in its place.
   */
  @Test
  void aViewReplacedWhileTheCopyIsBuiltIsLeftAsTheMigrationMadeIt(TestDatabase db) throws Exception {
    db.execute("CREATE MATERIALIZED VIEW w.replaced_built AS SELECT id, v FROM w.t WHERE w.gate(7003)");
    QualifiedName view = QualifiedName.of("w", "replaced_built");
    long oldOid = catalog(db).view(view).orElseThrow().oid();

    RefreshResult result;
    long newOid;
    try (Gate gate = Gate.close(db, 7003)) {
      CompletableFuture<RefreshReport> refresh = CompletableFuture.supplyAsync(
          () -> uncheckedRefresh(db, RefreshOptions.builder().views(view).swap(true).build()));
      gate.awaitSomeoneWaiting();
      db.execute("DROP MATERIALIZED VIEW w.replaced_built",
          "CREATE MATERIALIZED VIEW w.replaced_built AS SELECT id, v * 10 AS tenfold FROM w.t WHERE id <= 10");
      newOid = catalog(db).view(view).orElseThrow().oid();
      gate.open();
      result = refresh.get().result(view).orElseThrow();
    }

    assertReplacedAndKept(db, view, oldOid, newOid, result);
    assertTrue(result.message().contains("; it is now OID " + newOid + ")"), result.message());
  }

  /**
   * The replacement commits while the install's DROP waits for the view's lock (the migration
   * holds it, uncommitted, when the install checks the name): the DROP then finds the new view
   * under the name, and the swap must notice and undo that.
   */
  @Test
  void aViewReplacedWhileTheSwapWaitsToDropItIsLeftAsTheMigrationMadeIt(TestDatabase db) throws Exception {
    db.execute("CREATE MATERIALIZED VIEW w.replaced_dropping AS SELECT id, v FROM w.t WHERE w.gate(7004)");
    QualifiedName view = QualifiedName.of("w", "replaced_dropping");
    long oldOid = catalog(db).view(view).orElseThrow().oid();

    RefreshResult result;
    long newOid;
    try (Gate gate = Gate.close(db, 7004); Connection migration = db.connect()) {
      CompletableFuture<RefreshReport> refresh = CompletableFuture.supplyAsync(
          () -> uncheckedRefresh(db, RefreshOptions.builder().views(view).swap(true).build()));
      gate.awaitSomeoneWaiting();
      migration.setAutoCommit(false);
      try (Statement statement = migration.createStatement()) {
        statement.execute("DROP MATERIALIZED VIEW w.replaced_dropping");
        statement.execute("CREATE MATERIALIZED VIEW w.replaced_dropping AS SELECT id, v * 10 AS tenfold FROM w.t"
            + " WHERE id <= 10");
        try (ResultSet rs = statement.executeQuery("SELECT 'w.replaced_dropping'::regclass::oid::bigint")) {
          rs.next();
          newOid = rs.getLong(1);
        }
      }
      gate.open();
      // the install has checked the name (still the old view to it) and its DROP waits for the migration
      Gate.awaitTrue(db, "SELECT EXISTS (SELECT FROM pg_locks WHERE locktype = 'relation'"
          + " AND relation = ?::oid AND mode = 'AccessExclusiveLock' AND NOT granted)", oldOid);
      migration.commit();
      result = refresh.get().result(view).orElseThrow();
    }

    assertReplacedAndKept(db, view, oldOid, newOid, result);
    assertTrue(result.message().contains("it was replaced while the old one was being dropped"), result.message());
  }

  private static void assertReplacedAndKept(TestDatabase db, QualifiedName view, long oldOid, long newOid,
      RefreshResult result) throws Exception {
    assertEquals(RefreshOutcome.FAILED, result.outcome(), result.message());
    assertTrue(result.message().startsWith(view + " was replaced while it was being refreshed (planned for OID "
        + oldOid + ";"), result.message());
    LiveView after = catalog(db).view(view).orElseThrow();
    assertEquals(newOid, after.oid(), "the migration's view is still there");
    assertEquals(List.of("id", "tenfold"), after.columns(), "with the migration's definition");
    assertEquals(10L, (long) db.<Long>value("SELECT count(*) FROM " + view));
    assertEquals(100L, (long) db.<Long>value("SELECT max(tenfold)::bigint FROM " + view), "and its data");
    assertEquals(List.of(), db.column("SELECT relname::text FROM pg_class WHERE relname = 'mview_swap_" + oldOid + "'"),
        "the copy of the old definition is dropped");
  }

  static RefreshReport uncheckedRefresh(TestDatabase db, RefreshOptions options) {
    try {
      return refresh(db, options);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static long uncheckedCount(Connection connection, String relation) {
    try {
      return count(connection, relation);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static long count(Connection connection, String relation) throws Exception {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + relation)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
