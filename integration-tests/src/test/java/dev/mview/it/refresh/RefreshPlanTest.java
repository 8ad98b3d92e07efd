package dev.mview.it.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.MviewException;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.QualifiedName;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.RefreshOutcome;
import dev.mview.refresh.RefreshPlan;
import dev.mview.refresh.RefreshReport;
import dev.mview.refresh.Refresher;
import java.sql.Connection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The planned set and order in a diamond: {@code a} feeds {@code b} and {@code c}; {@code dd} reads
 * {@code b} directly and {@code c} through the plain view {@code v}; {@code e} reads {@code dd};
 * {@code x -> y} hang off the same table but are unrelated to the diamond.
 */
@ExtendWith(PostgresExtension.class)
class RefreshPlanTest {
  private static final QualifiedName A = QualifiedName.of("d", "a");
  private static final QualifiedName B = QualifiedName.of("d", "b");
  private static final QualifiedName C = QualifiedName.of("d", "c");
  private static final QualifiedName DD = QualifiedName.of("d", "dd");
  private static final QualifiedName E = QualifiedName.of("d", "e");
  private static final QualifiedName X = QualifiedName.of("d", "x");
  private static final QualifiedName Y = QualifiedName.of("d", "y");

  @BeforeAll
  static void diamond(TestDatabase db) {
    db.execute(
        "CREATE SCHEMA d",
        "CREATE TABLE d.t (id int PRIMARY KEY)",
        "INSERT INTO d.t SELECT generate_series(1, 10)",
        "CREATE MATERIALIZED VIEW d.a AS SELECT id FROM d.t",
        "CREATE MATERIALIZED VIEW d.b AS SELECT id FROM d.a WHERE id % 2 = 0",
        "CREATE MATERIALIZED VIEW d.c AS SELECT id FROM d.a WHERE id % 2 = 1",
        "CREATE VIEW d.v AS SELECT id FROM d.c",
        "CREATE MATERIALIZED VIEW d.dd AS SELECT id FROM d.b UNION ALL SELECT id FROM d.v",
        "CREATE MATERIALIZED VIEW d.e AS SELECT count(*) AS n FROM d.dd",
        "CREATE MATERIALIZED VIEW d.x AS SELECT id FROM d.t",
        "CREATE MATERIALIZED VIEW d.y AS SELECT id FROM d.x");
  }

  private static RefreshPlan plan(TestDatabase db, RefreshOptions options) throws Exception {
    try (Connection connection = db.connect()) {
      return Refresher.plan(connection, options);
    }
  }

  @Test
  void upstreamOfTheBottomIsTheWholeDiamondOnceUpstreamFirst(TestDatabase db) throws Exception {
    RefreshPlan plan = plan(db, RefreshOptions.builder().views(DD).includeUpstream(true).build());
    assertEquals(List.of(A, B, C, DD), plan.views());
    assertEquals(Set.of(B, C), plan.entry(DD).orElseThrow().after(), "c is waited for through the plain view v");
    assertEquals(Set.of(A), plan.entry(C).orElseThrow().after());
    assertEquals(Set.of(), plan.entry(A).orElseThrow().after());
  }

  @Test
  void downstreamOfTheTopIsTheDiamondAndBelowButNotTheUnrelated(TestDatabase db) throws Exception {
    RefreshPlan plan = plan(db, RefreshOptions.builder().views(A).includeDownstream(true).build());
    assertEquals(List.of(A, B, C, DD, E), plan.views());
  }

  @Test
  void bothWaysFromOneSideLeavesTheOtherSideOut(TestDatabase db) throws Exception {
    RefreshPlan plan = plan(db, RefreshOptions.builder().views(B).includeUpstream(true).includeDownstream(true).build());
    assertEquals(List.of(A, B, DD, E), plan.views());
    assertEquals(Set.of(A, B), plan.entry(DD).orElseThrow().after(), "through v and the unplanned c, dd still waits for a");
  }

  @Test
  void targetsAloneAreJustTheTargetsInOrder(TestDatabase db) throws Exception {
    assertEquals(List.of(B), plan(db, RefreshOptions.builder().views(B).build()).views());
    assertEquals(List.of(A, E), plan(db, RefreshOptions.builder().views(E, A).build()).views());
    assertEquals(List.of(A, B, C, DD, E, X, Y), plan(db, RefreshOptions.builder().schemas("d").build()).views());
    assertEquals(List.of(X, Y), plan(db, RefreshOptions.builder().views(Y, X, Y).build()).views(), "each once");
  }

  @Test
  void scriptHasOneRefreshPerViewInOrder(TestDatabase db) throws Exception {
    String script = plan(db, RefreshOptions.builder().views(DD).includeUpstream(true).build()).toScript();
    assertTrue(script.indexOf("REFRESH MATERIALIZED VIEW d.a;") < script.indexOf("REFRESH MATERIALIZED VIEW d.b;"), script);
    assertTrue(script.indexOf("REFRESH MATERIALIZED VIEW d.c;") < script.indexOf("REFRESH MATERIALIZED VIEW d.dd;"), script);
    assertEquals(4, script.split("REFRESH MATERIALIZED VIEW").length - 1, script);
  }

  @Test
  void badTargetsAreRefusedByName(TestDatabase db) {
    MviewException missing = assertThrows(MviewException.class,
        () -> plan(db, RefreshOptions.builder().views(QualifiedName.of("d", "nope")).build()));
    assertEquals("cannot refresh d.nope: there is no view of that name; check the schema and case (stored"
        + " names, or QualifiedName.parse for SQL notation)", missing.getMessage());
    MviewException plain = assertThrows(MviewException.class,
        () -> plan(db, RefreshOptions.builder().views(QualifiedName.of("d", "v")).build()));
    assertEquals("cannot refresh d.v: it is a plain view, not a materialized view; name the materialized"
        + " views it reads instead (or use includeUpstream)", plain.getMessage());
  }

  @Test
  void refreshingTheBottomWithUpstreamRefreshesExactlyThoseViews(TestDatabase db) throws Exception {
    db.execute("CREATE SCHEMA d2", "CREATE TABLE d2.t2 (id int)", "INSERT INTO d2.t2 VALUES (1)",
        "CREATE MATERIALIZED VIEW d2.p AS SELECT id FROM d2.t2",
        "CREATE MATERIALIZED VIEW d2.q AS SELECT id FROM d2.p",
        "CREATE MATERIALIZED VIEW d2.r AS SELECT id FROM d2.q",
        "CREATE MATERIALIZED VIEW d2.unrelated AS SELECT id FROM d2.t2",
        "INSERT INTO d2.t2 VALUES (2)");
    RefreshReport report;
    try (Connection connection = db.connect()) {
      report = Refresher.refresh(connection, RefreshOptions.builder().views(QualifiedName.of("d2", "q"))
          .includeUpstream(true).build());
    }
    assertEquals(List.of(RefreshOutcome.REFRESHED, RefreshOutcome.REFRESHED),
        report.results().stream().map(r -> r.outcome()).toList());
    assertEquals(2L, (long) db.<Long>value("SELECT count(*) FROM d2.p"));
    assertEquals(2L, (long) db.<Long>value("SELECT count(*) FROM d2.q"));
    assertEquals(1L, (long) db.<Long>value("SELECT count(*) FROM d2.r"), "downstream was not asked for");
    assertEquals(1L, (long) db.<Long>value("SELECT count(*) FROM d2.unrelated"), "unrelated is left alone");
    assertEquals(2L, report.result(QualifiedName.of("d2", "q")).orElseThrow().rows());
  }
}
