package dev.mview.it.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.MviewException;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.QualifiedName;
import dev.mview.refresh.PlannedRefresh;
import dev.mview.refresh.RefreshMode;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.RefreshOutcome;
import dev.mview.refresh.RefreshPlan;
import dev.mview.refresh.RefreshReport;
import dev.mview.refresh.RefreshStrategy;
import dev.mview.refresh.Refresher;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Strategy and reason per kind of view, and that the chosen refresh really runs on each. */
@ExtendWith(PostgresExtension.class)
class RefreshModeTest {
  private static final QualifiedName UNIQUE = QualifiedName.of("m", "with_unique");
  private static final QualifiedName UNPOPULATED = QualifiedName.of("m", "unpopulated");
  private static final QualifiedName PARTIAL = QualifiedName.of("m", "with_partial");
  private static final QualifiedName EXPRESSION = QualifiedName.of("m", "with_expression");
  private static final QualifiedName NONE = QualifiedName.of("m", "without_index");
  private static final QualifiedName READ = QualifiedName.of("m", "read_by_view");

  @BeforeAll
  static void views(TestDatabase db) {
    db.execute(
        "CREATE SCHEMA m",
        "CREATE TABLE m.t (id int PRIMARY KEY, v int)",
        "INSERT INTO m.t SELECT i, i FROM generate_series(1, 100) i",
        "CREATE MATERIALIZED VIEW m.with_unique AS SELECT id, v FROM m.t",
        "CREATE INDEX with_unique_v ON m.with_unique (v)",
        "CREATE UNIQUE INDEX with_unique_id ON m.with_unique (id)",
        "CREATE MATERIALIZED VIEW m.unpopulated AS SELECT id, v FROM m.t WITH NO DATA",
        "CREATE UNIQUE INDEX unpopulated_id ON m.unpopulated (id)",
        "CREATE MATERIALIZED VIEW m.with_partial AS SELECT id, v FROM m.t",
        "CREATE UNIQUE INDEX with_partial_id ON m.with_partial (id) WHERE v > 0",
        "CREATE MATERIALIZED VIEW m.with_expression AS SELECT id, v FROM m.t",
        "CREATE UNIQUE INDEX with_expression_id ON m.with_expression ((id + 0))",
        "CREATE UNIQUE INDEX with_expression_both ON m.with_expression ((v + 0)) WHERE id > 0",
        "CREATE MATERIALIZED VIEW m.without_index AS SELECT id, v FROM m.t",
        "CREATE INDEX without_index_id ON m.without_index (id)",
        "CREATE MATERIALIZED VIEW m.read_by_view AS SELECT id, v FROM m.t",
        "CREATE VIEW m.reader AS SELECT id FROM m.read_by_view");
  }

  private static RefreshPlan plan(TestDatabase db, RefreshOptions options) throws Exception {
    try (Connection connection = db.connect()) {
      return Refresher.plan(connection, options);
    }
  }

  private static void assertEntry(RefreshPlan plan, QualifiedName view, RefreshStrategy strategy, String reason) {
    PlannedRefresh entry = plan.entry(view).orElseThrow();
    assertEquals(strategy, entry.strategy(), view.toString());
    assertEquals(reason, entry.reason(), view.toString());
  }

  @Test
  void eachViewGetsTheStrategyItAllowsWithItsReason(TestDatabase db) throws Exception {
    RefreshPlan plan = plan(db, RefreshOptions.builder().schemas("m").build());
    assertEntry(plan, UNIQUE, RefreshStrategy.CONCURRENTLY, "unique index with_unique_id on (id)");
    assertTrue(plan.entry(UNIQUE).orElseThrow().concurrently());
    assertEntry(plan, UNPOPULATED, RefreshStrategy.PLAIN, "not populated: CONCURRENTLY needs a populated view");
    assertEntry(plan, PARTIAL, RefreshStrategy.PLAIN, "no usable unique index: with_partial_id is partial");
    assertEntry(plan, EXPRESSION, RefreshStrategy.PLAIN,
        "no usable unique index: with_expression_both is partial and on an expression,"
            + " with_expression_id is on an expression");
    assertEntry(plan, NONE, RefreshStrategy.PLAIN, "no usable unique index: it has no unique index");
    assertEquals(List.of("REFRESH MATERIALIZED VIEW CONCURRENTLY m.with_unique"),
        plan.entry(UNIQUE).orElseThrow().statements());
  }

  @Test
  void swapIsChosenWhereEveryReaderCanBeRebuiltAndOutsideACallersTransaction(TestDatabase db) throws Exception {
    RefreshOptions swap = RefreshOptions.builder().schemas("m").swap(true).build();
    RefreshPlan plan = plan(db, swap);
    assertEntry(plan, UNIQUE, RefreshStrategy.CONCURRENTLY, "unique index with_unique_id on (id)");
    assertEntry(plan, PARTIAL, RefreshStrategy.SWAP,
        "no usable unique index: with_partial_id is partial; built beside it and swapped in");
    // read by a plain view: the swap recreates it (the issue of views read by others, for plain readers)
    assertEntry(plan, READ, RefreshStrategy.SWAP, "no usable unique index: it has no unique index;"
        + " built beside it with what reads it (m.reader) and swapped in; the plain views are recreated");
    assertEntry(plan, UNPOPULATED, RefreshStrategy.PLAIN, "not populated: CONCURRENTLY needs a populated view");
    try (Connection connection = db.connect()) {
      connection.setAutoCommit(false);
      RefreshPlan inside = Refresher.plan(connection, swap);
      assertEntry(inside, PARTIAL, RefreshStrategy.PLAIN, "no usable unique index: with_partial_id is partial;"
          + " cannot swap inside the caller's transaction (the swap commits twice)");
      connection.rollback();
    }
  }

  @Test
  void plainAndWithNoDataAreHonouredForEveryView(TestDatabase db) throws Exception {
    RefreshPlan plain = plan(db, RefreshOptions.builder().schemas("m").mode(RefreshMode.PLAIN).build());
    assertEntry(plain, UNIQUE, RefreshStrategy.PLAIN, "plain refresh requested");
    RefreshPlan empty = plan(db, RefreshOptions.builder().views(UNIQUE).withData(false).build());
    assertEntry(empty, UNIQUE, RefreshStrategy.PLAIN, "WITH NO DATA requested");
    assertEquals(List.of("REFRESH MATERIALIZED VIEW m.with_unique WITH NO DATA"),
        empty.entry(UNIQUE).orElseThrow().statements());
  }

  @Test
  void concurrentlyFailsNamingEveryViewThatWouldBlockReaders(TestDatabase db) {
    MviewException e = assertThrows(MviewException.class, () -> plan(db, RefreshOptions.builder()
        .views(UNIQUE, PARTIAL, UNPOPULATED).mode(RefreshMode.CONCURRENTLY).build()));
    assertEquals(MviewException.Kind.CANNOT_REFRESH_WITHOUT_BLOCKING, e.kind());
    assertEquals("these materialized views cannot be refreshed without blocking readers:"
        + " m.unpopulated (not populated: CONCURRENTLY needs a populated view), m.with_partial (no usable"
        + " unique index: with_partial_id is partial); give each a unique index on plain columns with no"
        + " WHERE, populate it, or enable swap, or refresh in mode AUTO, which falls back to a plain refresh",
        e.getMessage());
  }

  @Test
  void refreshRunsTheChosenStrategyAndLeavesDataCurrent(TestDatabase db) throws Exception {
    db.execute("CREATE SCHEMA m2", "CREATE TABLE m2.t (id int PRIMARY KEY)", "INSERT INTO m2.t VALUES (1)",
        "CREATE MATERIALIZED VIEW m2.u AS SELECT id FROM m2.t", "CREATE UNIQUE INDEX u_id ON m2.u (id)",
        "CREATE MATERIALIZED VIEW m2.empty AS SELECT id FROM m2.t WITH NO DATA",
        "INSERT INTO m2.t VALUES (2), (3)");
    RefreshReport report;
    try (Connection connection = db.connect()) {
      report = Refresher.refresh(connection, RefreshOptions.builder().schemas("m2").build());
    }
    assertFalse(report.failed(), report.failureSummary());
    assertEquals(RefreshStrategy.CONCURRENTLY, report.result(QualifiedName.of("m2", "u")).orElseThrow().strategy());
    assertEquals(RefreshOutcome.REFRESHED, report.result(QualifiedName.of("m2", "empty")).orElseThrow().outcome());
    assertEquals(3L, (long) db.<Long>value("SELECT count(*) FROM m2.u"));
    assertEquals(Boolean.TRUE, db.value("SELECT relispopulated FROM pg_class WHERE oid = 'm2.empty'::regclass"));
    assertEquals(3L, (long) db.<Long>value("SELECT count(*) FROM m2.empty"));

    try (Connection connection = db.connect()) {
      Refresher.refresh(connection, RefreshOptions.builder().schemas("m2").withData(false).build()).throwIfFailed();
    }
    assertEquals(List.of(false, false), db.column(
        "SELECT relispopulated FROM pg_class WHERE relnamespace = 'm2'::regnamespace AND relkind = 'm'"));
  }
}
