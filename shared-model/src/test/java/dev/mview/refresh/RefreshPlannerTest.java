package dev.mview.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mview.MviewException;
import dev.mview.catalog.Catalog;
import dev.mview.catalog.LiveViews;
import dev.mview.model.IndexDefinition;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The refresh planner's decisions from a catalog given as a value: which views, order, strategy, why. */
class RefreshPlannerTest {
  private static QualifiedName name(String name) {
    return QualifiedName.parse(name);
  }

  /** s.a <- s.b <- (plain s.p) <- s.c, and t.other alone; s.a has a usable key, the others none. */
  private static Catalog chain() {
    return Catalog.builder().currentUser("migrator")
        .view(LiveViews.materialized("s.a", " SELECT 1 AS id;", "id").index("a_id", true, "id").build())
        .view(LiveViews.materialized("s.b", " SELECT a.id FROM s.a;", "id").build())
        .view(LiveViews.view("s.p", " SELECT b.id FROM s.b;", "id").build())
        .view(LiveViews.materialized("s.c", " SELECT p.id FROM s.p;", "id").build())
        .view(LiveViews.materialized("t.other", " SELECT 1 AS id;", "id").build())
        .edge(name("s.b"), name("s.a"))
        .edge(name("s.p"), name("s.b"))
        .edge(name("s.c"), name("s.p"))
        .build();
  }

  private static RefreshPlan plan(Catalog catalog, RefreshOptions.Builder options) {
    return RefreshPlanner.plan(catalog, options.build(), false);
  }

  private static List<String> summary(RefreshPlan plan) {
    return plan.entries().stream().map(entry -> entry.view() + " " + entry.strategy() + " after " + entry.after()
        + ": " + entry.reason()).toList();
  }

  @Test
  void theNamedViewsAloneByDefault() {
    assertEquals(List.of("s.b PLAIN after []: no usable unique index: it has no unique index"),
        summary(plan(chain(), RefreshOptions.builder().views(name("s.b")))));
  }

  @Test
  void upstreamAndDownstreamClosuresFollowEdgesThroughPlainViews() {
    assertEquals(List.of("s.a CONCURRENTLY after []: unique index a_id on (id)",
            "s.b PLAIN after [s.a]: no usable unique index: it has no unique index"),
        summary(plan(chain(), RefreshOptions.builder().views(name("s.b")).includeUpstream(true))));
    assertEquals(List.of("s.b PLAIN after []: no usable unique index: it has no unique index",
            "s.c PLAIN after [s.b]: no usable unique index: it has no unique index"),
        summary(plan(chain(), RefreshOptions.builder().views(name("s.b")).includeDownstream(true))));
  }

  @Test
  void aSchemaOrEverythingInDependencyOrder() {
    assertEquals(List.of(name("s.a"), name("s.b"), name("s.c")),
        plan(chain(), RefreshOptions.builder().schemas("s")).views());
    assertEquals(List.of(name("s.a"), name("s.b"), name("s.c"), name("t.other")),
        plan(chain(), RefreshOptions.builder()).views());
  }

  @Test
  void eachStrategyWithItsReason() {
    Catalog catalog = Catalog.builder().currentUser("migrator")
        .view(LiveViews.materialized("m.partial", " SELECT 1 AS id;", "id").partialIndex("p_id", "id", "(id > 0)").build())
        .view(LiveViews.materialized("m.expression", " SELECT 1 AS id;", "id").expressionIndex("e_id", "id + 1").build())
        .view(LiveViews.materialized("m.unpopulated", " SELECT 1 AS id;", "id").index("u_id", true, "id").unpopulated()
            .build())
        .view(LiveViews.materialized("m.read", " SELECT 1 AS id;", "id").build())
        .view(LiveViews.view("m.reader", " SELECT read.id FROM m.read;", "id").build())
        .view(LiveViews.materialized("m.alone", " SELECT 1 AS id;", "id").oid(42).build())
        .edge(name("m.reader"), name("m.read"))
        .build();

    assertEquals(List.of(
            "m.alone SWAP after []: no usable unique index: it has no unique index; built beside it and swapped in",
            "m.expression SWAP after []: no usable unique index: e_id is on an expression; built beside it and swapped in",
            "m.partial SWAP after []: no usable unique index: p_id is partial; built beside it and swapped in",
            "m.read SWAP after []: no usable unique index: it has no unique index; built beside it with what reads it"
                + " (m.reader) and swapped in; the plain views are recreated",
            "m.unpopulated PLAIN after []: not populated: CONCURRENTLY needs a populated view"),
        summary(plan(catalog, RefreshOptions.builder().schemas("m").swap(true))));
    assertEquals(List.of("m.expression PLAIN after []: no usable unique index: e_id is on an expression",
            "m.partial PLAIN after []: no usable unique index: p_id is partial"),
        summary(plan(catalog, RefreshOptions.builder().views(name("m.partial"), name("m.expression")))));
    assertEquals("m.alone PLAIN after []: no usable unique index: it has no unique index; cannot swap inside the"
            + " caller's transaction (the swap commits twice)",
        summary(RefreshPlanner.plan(catalog, RefreshOptions.builder().views(name("m.alone")).swap(true).build(), true))
            .get(0));
    assertEquals(List.of("m.alone PLAIN after []: plain refresh requested"),
        summary(plan(catalog, RefreshOptions.builder().views(name("m.alone")).mode(RefreshMode.PLAIN))));
    assertEquals(List.of("m.alone PLAIN after []: WITH NO DATA requested"),
        summary(plan(catalog, RefreshOptions.builder().views(name("m.alone")).withData(false))));
  }

  @Test
  void theSwapBuildsBesideTheViewAndRenamesItIn() {
    Catalog catalog = Catalog.builder().currentUser("migrator")
        .view(LiveViews.materialized("m.alone", " SELECT 1 AS id;", "id").oid(42).index("alone_id", false, "id")
            .comment("c").grant("reader", "SELECT").build())
        .build();

    PlannedRefresh swap = plan(catalog, RefreshOptions.builder().swap(true)).entries().get(0);

    assertEquals(List.of(
        "DROP MATERIALIZED VIEW IF EXISTS m.mview_swap_42",
        "CREATE MATERIALIZED VIEW m.mview_swap_42 (id) AS\nSELECT 1 AS id\nWITH DATA",
        "CREATE INDEX mview_swap_42_1 ON m.mview_swap_42 USING btree (id)",
        "COMMENT ON MATERIALIZED VIEW m.mview_swap_42 IS 'c'",
        "ANALYZE m.mview_swap_42",
        // the swap's own transaction: a copy a crash leaves behind is readable by no one else
        "DROP MATERIALIZED VIEW m.alone",
        "ALTER MATERIALIZED VIEW m.mview_swap_42 RENAME TO alone",
        "ALTER INDEX m.mview_swap_42_1 RENAME TO alone_id",
        "GRANT SELECT ON m.alone TO reader"), swap.statements());
  }

  /** m.v <- plain m.p <- m.r (materialized, its own unique index), and m.elsewhere reading m.w. */
  private static Catalog readers() {
    return Catalog.builder().currentUser("migrator").superuser(true)
        .view(LiveViews.materialized("m.v", " SELECT 1 AS id;", "id").oid(10).grant("reader", "SELECT").build())
        .view(LiveViews.view("m.p", " SELECT v.id FROM m.v;", "id").oid(11).build())
        .view(LiveViews.materialized("m.r", " SELECT p.id FROM m.p;", "id").oid(12).index("r_id", true, "id").build())
        .view(LiveViews.materialized("m.w", " SELECT 1 AS id;", "id").oid(13).build())
        .view(LiveViews.materialized("n.elsewhere", " SELECT w.id FROM m.w;", "id").oid(14).build())
        .edge(name("m.p"), name("m.v"))
        .edge(name("m.r"), name("m.p"))
        .edge(name("n.elsewhere"), name("m.w"))
        .build();
  }

  @Test
  void aViewThatOthersReadIsSwappedWithItsReadersWhenTheRunRefreshesThemAll() {
    RefreshPlan plan = plan(readers(), RefreshOptions.builder().schemas("m").swap(true));

    assertEquals(List.of(
            "m.v SWAP after []: no usable unique index: it has no unique index; built beside it with what reads it"
                + " (m.p, m.r) and swapped in, which refreshes m.r; the plain views are recreated",
            "m.w PLAIN after []: no usable unique index: it has no unique index; cannot swap: n.elsewhere reads it and"
                + " is not refreshed in this run (views bind to the OID)"),
        summary(plan));
    PlannedRefresh swap = plan.entries().get(0);
    assertEquals(List.of(name("m.r")), swap.members());
    assertEquals(List.of(
        "DROP SCHEMA IF EXISTS mview_swap_10 CASCADE",
        "CREATE SCHEMA mview_swap_10",
        "CREATE MATERIALIZED VIEW mview_swap_10.v (id) AS\nSELECT 1 AS id\nWITH DATA",
        "ANALYZE mview_swap_10.v",
        "CREATE VIEW mview_swap_10.p (id) AS\nSELECT v.id FROM mview_swap_10.v",
        "CREATE MATERIALIZED VIEW mview_swap_10.r (id) AS\nSELECT p.id FROM mview_swap_10.p\nWITH DATA",
        "CREATE UNIQUE INDEX r_id ON mview_swap_10.r USING btree (id)",
        "ANALYZE mview_swap_10.r",
        "DROP MATERIALIZED VIEW m.r",
        "DROP VIEW m.p",
        "DROP MATERIALIZED VIEW m.v",
        "ALTER MATERIALIZED VIEW mview_swap_10.v SET SCHEMA m",
        "GRANT SELECT ON m.v TO reader",
        "ALTER VIEW mview_swap_10.p SET SCHEMA m",
        "ALTER MATERIALIZED VIEW mview_swap_10.r SET SCHEMA m",
        "DROP SCHEMA mview_swap_10"), swap.statements());
  }

  @Test
  void aCopyLeftByAnInterruptedSwapIsNoTargetAndTheNextRefreshOfItsViewRemovesIt() {
    Catalog catalog = Catalog.builder().currentUser("migrator")
        .view(LiveViews.materialized("m.v", " SELECT 1 AS id;", "id").oid(42).index("v_id", true, "id").build())
        .view(LiveViews.materialized("m.mview_swap_42", " SELECT 1 AS id;", "id").oid(43).build())
        .view(LiveViews.materialized("m.mview_swap_7", " SELECT 1 AS id;", "id").oid(44).build())
        .build();

    RefreshPlan plan = plan(catalog, RefreshOptions.builder().schemas("m"));

    // mview_swap_7 copies no view of this catalog: it is a view like any other.
    assertEquals(List.of("m.mview_swap_7 PLAIN after []: no usable unique index: it has no unique index",
        "m.v CONCURRENTLY after []: unique index v_id on (id); removes m.mview_swap_42, left by an interrupted swap"),
        summary(plan));
    assertEquals(List.of("DROP MATERIALIZED VIEW IF EXISTS m.mview_swap_42", "REFRESH MATERIALIZED VIEW CONCURRENTLY m.v"),
        plan.entry(name("m.v")).orElseThrow().statements());
  }

  @Test
  void copiesAnotherSessionsSwapIsBuildingAreNeverRefreshedAsReadersOfTheirView() {
    // Another session's swap of m.v has built its copies (committed) and not yet moved them in:
    // the copy of m.v beside it, and the copies of its readers in the work schema mview_swap_42.
    Catalog catalog = Catalog.builder().currentUser("migrator")
        .view(LiveViews.materialized("m.v", " SELECT 1 AS id;", "id").oid(42).index("v_id", true, "id").build())
        .view(LiveViews.materialized("m.r", " SELECT v.id FROM m.v;", "id").oid(50).build())
        .view(LiveViews.materialized("m.mview_swap_42", " SELECT 1 AS id;", "id").oid(43).build())
        .view(LiveViews.materialized("mview_swap_42.r", " SELECT v.id FROM m.v;", "id").oid(51).build())
        .edge(name("m.r"), name("m.v"))
        .edge(name("mview_swap_42.r"), name("m.v"))
        .build();

    RefreshPlan plan = plan(catalog, RefreshOptions.builder().views(name("m.v")).includeDownstream(true));

    assertEquals(List.of("m.v", "m.r"), plan.entries().stream().map(entry -> entry.view().toString()).toList());
  }

  @Test
  void neverBlockingReadersFailsNamingEveryViewThatWould() {
    MviewException e = assertThrows(MviewException.class, () -> plan(chain(),
        RefreshOptions.builder().schemas("s").mode(RefreshMode.CONCURRENTLY)));

    assertEquals(MviewException.Kind.CANNOT_REFRESH_WITHOUT_BLOCKING, e.kind());
    assertEquals("these materialized views cannot be refreshed without blocking readers: s.b (no usable unique index:"
        + " it has no unique index), s.c (no usable unique index: it has no unique index); give each a unique index"
        + " on plain columns with no WHERE, populate it, or enable swap, or refresh in mode AUTO, which falls back to"
        + " a plain refresh", e.getMessage());
  }

  @Test
  void aTargetMustExistAndBeMaterialized() {
    MviewException missing = assertThrows(MviewException.class,
        () -> plan(chain(), RefreshOptions.builder().views(name("s.nope"))));
    assertEquals(MviewException.Kind.NO_SUCH_VIEW, missing.kind());
    MviewException plain = assertThrows(MviewException.class,
        () -> plan(chain(), RefreshOptions.builder().views(name("s.p"))));
    assertEquals(MviewException.Kind.NOT_MATERIALIZED, plain.kind());
  }

  @Test
  void offlineTheModelSaysWhatCanGoConcurrentlyAndUnknownViewsGoPlainFirst() {
    ViewModel model = ViewModel.of(
        ViewDefinition.materializedView("s.daily", "SELECT 1 AS day").index(IndexDefinition.unique("day")).build(),
        ViewDefinition.materializedView("s.weekly", "SELECT day FROM s.daily").build(),
        ViewDefinition.materializedView("s.empty", "SELECT 1 AS day").index(IndexDefinition.unique("day"))
            .withData(false).build());

    RefreshPlan plan = Refresher.planOffline(model, RefreshOptions.builder()
        .views(name("s.weekly"), name("s.elsewhere")).includeUpstream(true).build());

    assertEquals(List.of(
        "s.elsewhere PLAIN after []: not declared by the definitions planned from, so its indexes are not known",
        "s.daily CONCURRENTLY after []: unique index daily_day_key on (day)",
        "s.weekly PLAIN after [s.daily]: no usable unique index: it has no unique index"), summary(plan));
    assertEquals(List.of("s.empty PLAIN after []: not populated: CONCURRENTLY needs a populated view"),
        summary(Refresher.planOffline(model, RefreshOptions.builder().views(name("s.empty")).build())));
  }

  /**
   * Table s.t (1,000 pages) <- s.a (100) <- plain s.p <- s.b (10, also reads s.t), and s.a <- s.c
   * (50): sizes as {@code pg_class.relpages} gives them.
   */
  private static Catalog sized() {
    return Catalog.builder().currentUser("migrator")
        .view(LiveViews.materialized("s.a", " SELECT t.id FROM s.t;", "id").build())
        .view(LiveViews.view("s.p", " SELECT a.id FROM s.a;", "id").build())
        .view(LiveViews.materialized("s.b", " SELECT p.id FROM s.p, s.t;", "id").build())
        .view(LiveViews.materialized("s.c", " SELECT a.id FROM s.a;", "id").build())
        .edge(name("s.a"), name("s.t")).edge(name("s.p"), name("s.a"))
        .edge(name("s.b"), name("s.p")).edge(name("s.b"), name("s.t")).edge(name("s.c"), name("s.a"))
        .pages(name("s.t"), 1000).pages(name("s.a"), 100).pages(name("s.b"), 10).pages(name("s.c"), 50)
        .build();
  }

  private static List<String> estimates(RefreshPlan plan) {
    return plan.entries().stream().map(entry -> entry.view() + ": " + entry.estimate()).toList();
  }

  @Test
  void withoutDurationsEachViewIsEstimatedFromItsSizeAndWhatItReadsThroughPlainViews() {
    assertEquals(List.of(
            "s.a: catalog size 1100 pages (the view and what it reads), about 0.055 s at 0.050 ms a page",
            "s.c: catalog size 150 pages (the view and what it reads), about 0.008 s at 0.050 ms a page",
            "s.b: catalog size 1110 pages (the view and what it reads), about 0.056 s at 0.050 ms a page"),
        estimates(plan(sized(), RefreshOptions.builder().schemas("s"))));
  }

  @Test
  void givenDurationsAreUsedAndSetWhatAPageCostsTheOthers() {
    RefreshPlan plan = plan(sized(), RefreshOptions.builder().schemas("s")
        .expectedDurations(Map.of(name("s.a"), Duration.ofMillis(1100))));

    assertEquals(List.of("s.a: given duration 1.100 s",
            "s.c: catalog size 150 pages (the view and what it reads), about 0.150 s at 1.000 ms a page",
            "s.b: catalog size 1110 pages (the view and what it reads), about 1.110 s at 1.000 ms a page"),
        estimates(plan));
    assertEquals(new RefreshEstimate(RefreshEstimate.Source.GIVEN_DURATION, Duration.ofMillis(1100), 1100,
        Duration.ZERO), plan.entry(name("s.a")).orElseThrow().estimate());
    assertEquals("""
        -- refresh s.a PLAIN: no usable unique index: it has no unique index
        -- estimate: given duration 1.100 s
        REFRESH MATERIALIZED VIEW s.a;

        """, plan(sized(), RefreshOptions.builder().views(name("s.a"))
            .expectedDurations(Map.of(name("s.a"), Duration.ofMillis(1100)))).toScript());
  }

  @Test
  void recordedDurationsStandInForGivenOnesAndGivenOnesWin() {
    RefreshPlan plan = RefreshPlanner.plan(sized(), RefreshOptions.builder().schemas("s")
        .expectedDurations(Map.of(name("s.a"), Duration.ofMillis(1100))).build(), false,
        Map.of(name("s.a"), Duration.ofSeconds(9), name("s.c"), Duration.ofMillis(300)));

    // A page costs what the known ones cost together: 1.4 s over 1250 pages.
    assertEquals(List.of("s.a: given duration 1.100 s", "s.c: last refresh 0.300 s",
            "s.b: catalog size 1110 pages (the view and what it reads), about 1.243 s at 1.120 ms a page"),
        estimates(plan));
  }

  @Test
  void anExpectedDurationMustNotBeNegative() {
    MviewException e = assertThrows(MviewException.class, () -> RefreshOptions.builder()
        .expectedDurations(Map.of(name("s.a"), Duration.ofSeconds(-1))));
    assertEquals("expectedDurations of s.a must be zero or more, was PT-1S", e.getMessage());
    assertEquals(MviewException.Kind.INVALID_DECLARATION, e.kind());
  }
}
