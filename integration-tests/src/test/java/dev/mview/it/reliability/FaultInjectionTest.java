package dev.mview.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.Views;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import dev.mview.plan.Plan;
import dev.mview.plan.Reconciler;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A redefinition of a view with readers (a plan of more than ten steps) fails at each of its DDL
 * statements in turn, through the Java API and through a Flyway view migration, with the faults
 * taking turns: a failing statement, a lock timeout behind a lock another session holds, a
 * statement timeout, and {@code pg_terminate_backend} of the migrating connection. After each, the
 * catalog (definitions, indexes, comments, owners, ACLs with grantors, populated flags) and the
 * data equal the snapshot from before, Flyway's history records nothing, and the next run — the
 * first whose fault comes after its last statement — succeeds.
 */
@Tag("reliability")
@ExtendWith(PostgresExtension.class)
class FaultInjectionTest {
  private static final String ROOT = "SELECT id, v FROM f.t WHERE v >= 0";
  private static final String CHANGED = "SELECT id, v, v * 2 AS doubled FROM f.t WHERE v >= 0";
  private static int faults;
  private static int reruns;
  private static int steps;
  private static int absorbed;

  private Connection holder;

  @BeforeAll
  static void views(TestDatabase db) {
    Reliability.roles(db, "f_owner", "f_reader_a", "f_reader_b");
    db.execute("CREATE SCHEMA f", "GRANT USAGE, CREATE ON SCHEMA f TO f_owner, f_reader_a",
        "CREATE TABLE f.t (id int PRIMARY KEY, v int)", "INSERT INTO f.t SELECT g, g % 7 FROM generate_series(1, 50) g",
        "GRANT SELECT ON f.t TO f_owner",
        "CREATE MATERIALIZED VIEW f.a AS " + ROOT, "CREATE UNIQUE INDEX a_id ON f.a (id)",
        "CREATE MATERIALIZED VIEW f.b AS SELECT id, v FROM f.a WHERE v > 1", "CREATE UNIQUE INDEX b_id ON f.b (id)",
        "COMMENT ON MATERIALIZED VIEW f.b IS 'b reads a'", "COMMENT ON COLUMN f.b.v IS 'the value'",
        "GRANT SELECT ON f.b TO f_reader_a WITH GRANT OPTION",
        "SET ROLE f_reader_a; GRANT SELECT ON f.b TO f_reader_b; RESET ROLE",
        "CREATE MATERIALIZED VIEW f.c AS SELECT v, count(*) AS n FROM f.b GROUP BY v", "CREATE INDEX c_v ON f.c (v)",
        "ALTER MATERIALIZED VIEW f.c OWNER TO f_owner", "REVOKE TRIGGER ON f.c FROM f_owner",
        "CREATE VIEW f.d AS SELECT id FROM f.b WHERE id < 10", "GRANT SELECT ON f.d TO f_reader_b",
        "CREATE MATERIALIZED VIEW f.e AS SELECT id FROM f.a WITH NO DATA", "COMMENT ON MATERIALIZED VIEW f.e IS 'never filled'",
        "CREATE MATERIALIZED VIEW f.unrelated AS SELECT id FROM f.t");
    Faults.install(db);
  }

  @BeforeEach
  void holdTheLock(TestDatabase db) throws Exception {
    holder = db.connect();
    holder.setAutoCommit(false);
    try (Statement statement = holder.createStatement()) {
      statement.execute("LOCK TABLE fault.held IN ACCESS EXCLUSIVE MODE");
    }
  }

  @AfterEach
  void release() throws Exception {
    holder.rollback();
    holder.close();
  }

  @AfterAll
  static void counts() {
    Reliability.count("faults injected=" + faults + " (statements failed, lock timeouts, statement timeouts,"
        + " terminated connections) over plans of " + steps + " steps; each left the catalog and the data as before;"
        + " absorbed by planning's retry=" + absorbed + "; re-runs succeeded=" + reruns);
  }

  private static ViewModel model(String root) {
    return ViewModel.of(ViewDefinition.materializedView("f.a", root).build());
  }

  @Test
  void theJavaApiAtEveryStep(TestDatabase db) throws Exception {
    List<String> before = Reliability.state(db, "f");
    try (Connection connection = db.connect()) {
      Plan plan = Reconciler.plan(connection, model(CHANGED));
      assertTrue(plan.steps().size() >= 10, plan.toScript());
      steps = Math.max(steps, plan.steps().size());
    }
    runUntilOneSucceeds(db, before, () -> {
      try (Connection connection = Reliability.connect(db, "mview-fault", Faults.settings(kind(db)))) {
        Reconciler.plan(connection, model(CHANGED)).execute(connection);
      }
    }, () -> 0L, () -> { });
    List<String> after = Reliability.state(db, "f");
    assertNotEquals(before, after);
    assertEquals(without(before, "f.a "), without(after, "f.a "));
    undo(db);
    assertEquals(before, Reliability.state(db, "f"));
  }

  /** A view migration redefining f.a, with its history in a schema of its own. */
  public static final class V2__Redefine_root extends MaterializedViewMigration {
    @Override
    protected void declare(Views views) {
      views.materialized("f.a", CHANGED);
    }
  }

  @Test
  void aFlywayMigrationAtEveryStep(TestDatabase db) throws Exception {
    Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).schemas("fw").load().migrate();
    List<String> before = Reliability.state(db, "f");
    runUntilOneSucceeds(db, before, () -> Flyway.configure()
        .dataSource(Reliability.url(db, "mview-fault", Faults.settings(kind(db))), db.user(), db.password())
        .schemas("fw").javaMigrations(new V2__Redefine_root()).load().migrate(),
        () -> db.<Long>value("SELECT count(*) FROM fw.flyway_schema_history WHERE version = '2'"), () -> {
          db.execute("DROP SCHEMA fw CASCADE");
          Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).schemas("fw").load().migrate();
        });
    assertEquals(1L, db.<Long>value("SELECT count(*) FROM fw.flyway_schema_history WHERE version = '2' AND success"));
    undo(db);
    assertEquals(before, Reliability.state(db, "f"));
  }

  private interface Run {
    void run() throws Exception;
  }

  private interface History {
    long rows() throws Exception;
  }

  /** The kind of fault the next run gets: they take turns by step, each test starting elsewhere in the turn. */
  private static Faults.Kind kind(TestDatabase db) {
    return Faults.Kind.values()[(int) (db.<Long>value("SELECT at FROM fault.config") % 4)];
  }

  /**
   * Runs {@code run} with a fault at DDL statement 1, 2, 3, … until a run ends before its fault
   * comes: each failed run must leave {@code before} and no history row. A fault in planning's
   * rolled-back probe may be absorbed (planning then probes each query alone): such a run must
   * succeed whole, and is undone (and {@code forget} clears its history) before the next.
   */
  private static void runUntilOneSucceeds(TestDatabase db, List<String> before, Run run, History history, Run forget)
      throws Exception {
    for (long at = 1; ; at++) {
      db.execute("UPDATE fault.config SET at = " + at);
      Faults.Kind kind = kind(db);
      Faults.arm(db, at, kind);
      try {
        run.run();
      } catch (Exception e) {
        assertTrue(Faults.counted(db) >= at, "failed before its fault came: " + HostileInputTest.messages(e));
        assertEquals(before, Reliability.state(db, "f"), kind + " at statement " + at);
        assertEquals(0L, history.rows(), kind + " at statement " + at + " left a history row");
        assertEquals(List.of(), Reliability.leftovers(db));
        faults++;
        continue;
      }
      assertEquals(without(before, "f.a "), without(Reliability.state(db, "f"), "f.a "));
      if (Faults.counted(db) >= at) {
        absorbed++;
        undo(db);
        assertEquals(before, Reliability.state(db, "f"));
        forget.run();
        continue;
      }
      assertTrue(at > 10, "only " + (at - 1) + " DDL statements");
      reruns++;
      return;
    }
  }

  private static void undo(TestDatabase db) throws Exception {
    try (Connection connection = db.connect()) {
      Reconciler.plan(connection, model(ROOT)).execute(connection);
    }
  }

  private static List<String> without(List<String> state, String prefix) {
    return state.stream().filter(line -> !line.startsWith(prefix)).toList();
  }
}
