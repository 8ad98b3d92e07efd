package dev.mview.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.MviewException;
import dev.mview.catalog.Catalog;
import dev.mview.catalog.Grant;
import dev.mview.catalog.LiveView;
import dev.mview.catalog.LiveViews;
import dev.mview.model.IndexDefinition;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reconciler's decisions, from a catalog and probe results given as values: no database. */
class ReconcilerTest {
  private static final QualifiedName ORDERS = QualifiedName.of("shop", "orders");

  /** What the probe reads when a declared query deparses to {@code definition}. */
  private static ChangeDetector.Probe ran(String definition, String... columns) {
    return new ChangeDetector.Probe(definition, List.of(columns), Map.of(), null, false);
  }

  /** A catalog read as {@code migrator}, a superuser, as deployers usually are. */
  private static Catalog.Builder catalog() {
    return Catalog.builder().currentUser("migrator").superuser(true);
  }

  @Test
  void createsMissingViewsUpstreamFirst() {
    ViewModel model = ViewModel.of(
        ViewDefinition.materializedView("s.b", "SELECT x FROM s.a").build(),
        ViewDefinition.materializedView("s.a", "SELECT id AS x FROM shop.orders").index(IndexDefinition.unique("x")).build());

    Plan plan = Reconciler.plan(model, catalog().build(), Map.of(), ReconcileOptions.defaults());

    assertEquals("""
        -- create s.a: new materialized view
        CREATE MATERIALIZED VIEW s.a AS
        SELECT id AS x FROM shop.orders
        WITH DATA;
        CREATE UNIQUE INDEX a_x_key ON s.a (x);

        -- create s.b: new materialized view, reads s.a
        CREATE MATERIALIZED VIEW s.b AS
        SELECT x FROM s.a
        WITH DATA;

        """, plan.toScript());
    assertEquals(List.of("DROP MATERIALIZED VIEW s.b", "DROP MATERIALIZED VIEW s.a"), plan.inverse().statements());
  }

  @Test
  void replacingAViewRebuildsExactlyItsDependentsWithWhatTheyCarry() {
    Catalog catalog = catalog()
        .view(LiveViews.materialized("s.a", " SELECT orders.id AS x FROM shop.orders;", "x").oid(1).build())
        .view(LiveViews.materialized("s.b", " SELECT a.x FROM s.a;", "x").oid(2).owner("reports")
            .index("b_by_hand", false, "x").comment("kept").grant("reader", "SELECT").build())
        .view(LiveViews.view("s.c", " SELECT b.x FROM s.b;", "x").oid(3).build())
        .view(LiveViews.materialized("s.other", " SELECT 1 AS y;", "y").oid(4).build())
        .edge(QualifiedName.of("s", "a"), ORDERS)
        .edge(QualifiedName.of("s", "b"), QualifiedName.of("s", "a"))
        .edge(QualifiedName.of("s", "c"), QualifiedName.of("s", "b"))
        .build();
    ViewModel model = ViewModel.of(ViewDefinition.materializedView("s.a", "SELECT id AS x, 2 AS y FROM shop.orders").build());

    Plan plan = Reconciler.plan(model, catalog, Map.of(QualifiedName.of("s", "a"),
        ran(" SELECT orders.id AS x, 2 AS y FROM shop.orders;", "x", "y")), ReconcileOptions.defaults());

    assertEquals("""
        -- mview: readers of the views below wait from here until the transaction commits (each step from here on holds its locks to the end)
        -- drop s.c: depends on s.a, which changed; recreated below
        DROP VIEW s.c;

        -- drop s.b: depends on s.a, which changed; recreated below
        DROP MATERIALIZED VIEW s.b;

        -- drop s.a: to be replaced: definition changed
        DROP MATERIALIZED VIEW s.a;

        -- create s.a: definition changed
        CREATE MATERIALIZED VIEW s.a AS
        SELECT id AS x, 2 AS y FROM shop.orders
        WITH DATA;

        -- recreate s.b: depends on s.a, which changed
        CREATE MATERIALIZED VIEW s.b AS
        SELECT a.x FROM s.a
        WITH DATA;
        COMMENT ON MATERIALIZED VIEW s.b IS 'kept';
        CREATE INDEX b_by_hand ON s.b USING btree (x);
        ALTER MATERIALIZED VIEW s.b OWNER TO reports;
        GRANT SELECT ON s.b TO reader;

        -- recreate s.c: depends on s.a, which changed
        CREATE VIEW s.c AS
        SELECT b.x FROM s.b;

        """, plan.toScript());
    // The inverse puts back the old definition, and the dependents as they were.
    assertEquals(List.of("DROP VIEW s.c", "DROP MATERIALIZED VIEW s.b", "DROP MATERIALIZED VIEW s.a",
        "CREATE MATERIALIZED VIEW s.a AS\nSELECT orders.id AS x FROM shop.orders\nWITH DATA",
        "CREATE MATERIALIZED VIEW s.b AS\nSELECT a.x FROM s.a\nWITH DATA", "CREATE INDEX b_by_hand ON s.b USING btree (x)",
        "COMMENT ON MATERIALIZED VIEW s.b IS 'kept'", "ALTER MATERIALIZED VIEW s.b OWNER TO reports",
        "GRANT SELECT ON s.b TO reader", "CREATE VIEW s.c AS\nSELECT b.x FROM s.b"), plan.inverse().statements());
  }

  /** s.a with privileges: PUBLIC, a role named PUBLIC, a chain of grantors, an owner that gave up TRIGGER. */
  private static LiveView privileged() {
    return new LiveView(QualifiedName.of("s", "a"), 1, dev.mview.model.ViewKind.MATERIALIZED_VIEW, " SELECT 1 AS x;",
        true, "owner", null, Map.of(), null, List.of("x"), Map.of(), List.of(), List.of(
            new Grant("reader_b", "SELECT", null, false, "reader_c"),
            new Grant("reader_c", "SELECT", null, true, "owner"),
            new Grant(null, "SELECT", "x", false, "owner"),
            new Grant("PUBLIC", "SELECT", null, false, "owner")),
        Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "MAINTAIN"), List.of());
  }

  @Test
  void privilegesComeBackExactlyWithTheirGrantorsAndWhatTheOwnerGaveUp() {
    Catalog catalog = catalog().view(privileged()).build();
    ViewModel model = ViewModel.of(ViewDefinition.materializedView("s.a", "SELECT 2 AS x").build());

    Plan plan = Reconciler.plan(model, catalog, Map.of(QualifiedName.of("s", "a"), ran(" SELECT 2 AS x;", "x")),
        ReconcileOptions.defaults());

    assertEquals(List.of("DROP MATERIALIZED VIEW s.a", "CREATE MATERIALIZED VIEW s.a AS\nSELECT 2 AS x\nWITH DATA",
        "ALTER MATERIALIZED VIEW s.a OWNER TO owner",
        "REVOKE TRIGGER ON s.a FROM owner",
        "GRANT SELECT ON s.a TO reader_c WITH GRANT OPTION",
        "GRANT SELECT (x) ON s.a TO PUBLIC",
        "GRANT SELECT ON s.a TO \"PUBLIC\"",
        "SET LOCAL ROLE reader_c", "GRANT SELECT ON s.a TO reader_b", "SET LOCAL ROLE migrator"), plan.statements());
  }

  @Test
  void aGrantorTheMigratingRoleCannotActAsIsNamedInThePlan() {
    Catalog catalog = Catalog.builder().currentUser("owner").view(privileged()).build();
    ViewModel model = ViewModel.of(ViewDefinition.materializedView("s.a", "SELECT 2 AS x").build());

    Plan plan = Reconciler.plan(model, catalog, Map.of(QualifiedName.of("s", "a"), ran(" SELECT 2 AS x;", "x")),
        ReconcileOptions.defaults());

    assertEquals("definition changed; SELECT on s.a to reader_b will be recorded as granted by owner, not reader_c"
        + " (mview cannot act as reader_c)", plan.steps().get(1).reason());
    assertTrue(plan.statements().contains("GRANT SELECT ON s.a TO reader_b"));
    assertTrue(plan.statements().stream().noneMatch(sql -> sql.startsWith("SET LOCAL ROLE")));
  }

  @Test
  void onlineTheClosureIsBuiltBesideFirstAndOnlyTheTailLocksLiveViews() {
    Catalog catalog = catalog()
        .view(LiveViews.materialized("s.a", " SELECT orders.id AS x FROM shop.orders;", "x").oid(1)
            .index("a_x", true, "x").build())
        .view(LiveViews.view("s.p", " SELECT a.x FROM s.a;", "x").oid(2).comment("plain").build())
        .view(LiveViews.materialized("s.m", " SELECT p.x FROM s.p;", "x").oid(3).owner("reports")
            .grant("reader", "SELECT").build())
        .edge(QualifiedName.of("s", "a"), ORDERS)
        .edge(QualifiedName.of("s", "p"), QualifiedName.of("s", "a"))
        .edge(QualifiedName.of("s", "m"), QualifiedName.of("s", "p"))
        .build();
    ViewModel model = ViewModel.of(
        ViewDefinition.materializedView("s.a", "SELECT id AS x FROM shop.orders WHERE id > 0")
            .index(IndexDefinition.unique("x").withName("a_x")).build(),
        ViewDefinition.view("s.fresh", "SELECT x FROM a").build());

    Plan plan = Reconciler.plan(model, catalog, Map.of(QualifiedName.of("s", "a"),
            ran(" SELECT orders.id AS x FROM shop.orders WHERE orders.id > 0;", "x")),
        ReconcileOptions.builder().online(true).build());

    String work = "mview_online_" + java.util.HexFormat.of().toHexDigits((int) crc("s"));
    assertEquals("""
        -- create s.a: built beside it in WORK: definition changed
        CREATE SCHEMA WORK;
        CREATE MATERIALIZED VIEW WORK.a AS
        SELECT id AS x FROM shop.orders WHERE id > 0
        WITH DATA;
        CREATE UNIQUE INDEX a_x ON WORK.a (x);
        ANALYZE WORK.a;

        -- create s.fresh: new view, reads s.a
        CREATE VIEW s.fresh AS
        SELECT x FROM WORK.a;

        -- create s.p: built beside it in WORK: depends on s.a, which changed
        CREATE VIEW WORK.p AS
        SELECT a.x FROM WORK.a;
        COMMENT ON VIEW WORK.p IS 'plain';

        -- create s.m: built beside it in WORK: depends on s.a, which changed
        CREATE MATERIALIZED VIEW WORK.m AS
        SELECT p.x FROM WORK.p
        WITH DATA;
        ANALYZE WORK.m;

        -- mview: readers of the views below wait from here until the transaction commits (each step from here on holds its locks to the end)
        -- drop s.m: depends on s.a, which changed; recreated below
        DROP MATERIALIZED VIEW s.m;

        -- drop s.p: depends on s.a, which changed; recreated below
        DROP VIEW s.p;

        -- drop s.a: to be replaced: definition changed
        DROP MATERIALIZED VIEW s.a;

        -- rename s.a: moved into place for the old one: definition changed
        ALTER MATERIALIZED VIEW WORK.a SET SCHEMA s;

        -- rename s.p: moved into place for the old one: depends on s.a, which changed
        ALTER VIEW WORK.p SET SCHEMA s;

        -- rename s.m: moved into place for the old one: depends on s.a, which changed
        ALTER MATERIALIZED VIEW WORK.m SET SCHEMA s;
        ALTER MATERIALIZED VIEW s.m OWNER TO reports;
        GRANT SELECT ON s.m TO reader;
        DROP SCHEMA WORK;

        """.replace("WORK", work), plan.toScript());
    assertEquals(List.of(false, false, false, false, true, true, true, true, true, true),
        plan.steps().stream().map(Step::blocksReaders).toList());
    // The inverse renames the new views away, brings the old ones back, then drops the new ones.
    List<String> inverse = plan.inverse().statements();
    assertEquals(List.of("CREATE SCHEMA " + work, "ALTER MATERIALIZED VIEW s.m SET SCHEMA " + work),
        inverse.subList(0, 2));
    assertEquals(List.of("DROP MATERIALIZED VIEW " + work + ".a", "DROP SCHEMA " + work),
        inverse.subList(inverse.size() - 2, inverse.size()));
  }

  private static long crc(String text) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return crc.getValue();
  }

  @Test
  void anUnchangedDefinitionWithANewCommentIsAlteredInPlace() {
    Catalog catalog = catalog().view(LiveViews.materialized("s.a", " SELECT 1 AS x;", "x").comment("old").build()).build();
    ViewModel model = ViewModel.of(ViewDefinition.materializedView("s.a", "select 1 as x").comment("new").build());

    Plan plan = Reconciler.plan(model, catalog, Map.of(QualifiedName.of("s", "a"), ran(" SELECT 1 AS x;", "x")),
        ReconcileOptions.defaults());

    assertEquals("""
        -- mview: readers of the views below wait from here until the transaction commits (each step from here on holds its locks to the end)
        -- alter s.a: comment changed
        COMMENT ON MATERIALIZED VIEW s.a IS 'new';

        """, plan.toScript());
    assertEquals(List.of("COMMENT ON MATERIALIZED VIEW s.a IS 'old'"), plan.inverse().statements());
  }

  @Test
  void anUnchangedViewIsLeftAlone() {
    Catalog catalog = catalog().view(LiveViews.materialized("s.a", " SELECT 1 AS x;", "x").build()).build();
    ViewModel model = ViewModel.of(ViewDefinition.materializedView("s.a", "SELECT 1 -- the answer\n AS x").build());

    assertTrue(Reconciler.plan(model, catalog, Map.of(QualifiedName.of("s", "a"), ran(" SELECT 1 AS x;", "x")),
        ReconcileOptions.defaults()).isEmpty());
  }

  private static Catalog readerOfA() {
    return catalog()
        .view(LiveViews.materialized("s.a", " SELECT 1 AS x;", "x").build())
        .view(LiveViews.materialized("s.b", " SELECT a.x FROM s.a;", "x").grant("reader", "SELECT").build())
        .edge(QualifiedName.of("s", "b"), QualifiedName.of("s", "a"))
        .build();
  }

  @Test
  void droppingAViewOthersReadIsRefusedNamingThem() {
    MviewException e = assertThrows(MviewException.class, () -> Reconciler.plan(ViewModel.of(), readerOfA(), Map.of(),
        ReconcileOptions.builder().drop("s.a").build()));

    assertEquals(MviewException.Kind.HAS_DEPENDENTS, e.kind());
    assertEquals("cannot drop s.a: s.b reads it. Drop those too (list them to drop) or allow cascading drops.",
        e.getMessage());
  }

  @Test
  void aCascadingDropDropsEachReaderByNameAndItsInverseRecreatesThem() {
    Plan plan = Reconciler.plan(ViewModel.of(), readerOfA(), Map.of(),
        ReconcileOptions.builder().drop("s.a").cascadeDrops(true).build());

    assertEquals("""
        -- mview: readers of the views below wait from here until the transaction commits (each step from here on holds its locks to the end)
        -- drop s.b: reads s.a, which is dropped (cascading drop)
        DROP MATERIALIZED VIEW s.b;

        -- drop s.a: declared dropped
        DROP MATERIALIZED VIEW s.a;

        """, plan.toScript());
    assertEquals(List.of("CREATE MATERIALIZED VIEW s.a AS\nSELECT 1 AS x\nWITH DATA",
        "CREATE MATERIALIZED VIEW s.b AS\nSELECT a.x FROM s.a\nWITH DATA", "GRANT SELECT ON s.b TO reader"),
        plan.inverse().statements());
  }

  @Test
  void aDropOfAViewThatStatementsBeforeThePlanDropIsNotRefusedForIt() {
    Plan plan = Reconciler.plan(ViewModel.of(), readerOfA(), Map.of(),
        ReconcileOptions.builder().drop("s.a").alreadyDropped(QualifiedName.of("s", "b")).build());

    assertEquals(List.of("DROP MATERIALIZED VIEW s.a"), plan.statements());
  }

  @Test
  void aMissingViewToDropIsSkippedOrRefusedAsAsked() {
    assertTrue(Reconciler.plan(ViewModel.of(), catalog().build(), Map.of(),
        ReconcileOptions.builder().drop("s.gone").build()).isEmpty());
    MviewException e = assertThrows(MviewException.class, () -> Reconciler.plan(ViewModel.of(), catalog().build(),
        Map.of(), ReconcileOptions.builder().drop("s.gone").requireDropsExist(true).build()));
    assertEquals(MviewException.Kind.NO_SUCH_VIEW, e.kind());
  }

  @Test
  void aPlainViewIsNotDroppedAsAMaterializedView() {
    Catalog catalog = catalog().view(LiveViews.view("s.v", " SELECT 1 AS x;", "x").build()).build();
    MviewException e = assertThrows(MviewException.class, () -> Reconciler.plan(ViewModel.of(), catalog, Map.of(),
        ReconcileOptions.builder().dropMaterialized(QualifiedName.of("s", "v")).build()));
    assertEquals(MviewException.Kind.NOT_MATERIALIZED, e.kind());
    assertEquals("cannot drop s.v as a materialized view: it is a plain view; drop it as a view", e.getMessage());
  }

  @Test
  void aCycleThroughAViewMadeByHandIsRefusedNamingIt() {
    // s.h (made by hand) reads s.a; the new s.a would read s.h.
    Catalog catalog = catalog()
        .view(LiveViews.materialized("s.a", " SELECT 1 AS x;", "x").build())
        .view(LiveViews.view("s.h", " SELECT a.x FROM s.a;", "x").build())
        .edge(QualifiedName.of("s", "h"), QualifiedName.of("s", "a"))
        .build();
    ViewModel model = ViewModel.of(ViewDefinition.materializedView("s.a", "SELECT x FROM s.h").build());

    MviewException e = assertThrows(MviewException.class, () -> Reconciler.plan(model, catalog,
        Map.of(QualifiedName.of("s", "a"), ran(" SELECT h.x FROM s.h;", "x")), ReconcileOptions.defaults()));

    assertEquals(MviewException.Kind.CYCLE, e.kind());
    assertEquals("views depend on each other in a cycle: s.a -> s.h -> s.a (each reads the next); remove one of"
        + " these references", e.getMessage());
  }

  @Test
  void aNewViewReadingARebuiltViewMadeByHandIsCreatedAfterIt() {
    Catalog catalog = catalog()
        .view(LiveViews.materialized("s.a", " SELECT 1 AS x;", "x").build())
        .view(LiveViews.view("s.h", " SELECT a.x FROM s.a;", "x").build())
        .edge(QualifiedName.of("s", "h"), QualifiedName.of("s", "a"))
        .build();
    ViewModel model = ViewModel.of(
        ViewDefinition.materializedView("s.a", "SELECT 2 AS x").build(),
        ViewDefinition.materializedView("s.n", "SELECT x FROM h").build());

    Plan plan = Reconciler.plan(model, catalog, Map.of(QualifiedName.of("s", "a"), ran(" SELECT 2 AS x;", "x")),
        ReconcileOptions.defaults());

    assertEquals(List.of("drop s.h", "drop s.a", "create s.a", "recreate s.h", "create s.n"),
        plan.steps().stream().map(step -> step.action().label() + " " + step.view()).toList());
  }

  @Test
  void aDeclaredCycleIsRefusedWhenTheModelIsBuilt() {
    MviewException e = assertThrows(MviewException.class, () -> ViewModel.of(
        ViewDefinition.materializedView("s.a", "SELECT * FROM s.b").build(),
        ViewDefinition.materializedView("s.b", "SELECT * FROM s.a").build()));
    assertEquals(MviewException.Kind.CYCLE, e.kind());
    assertEquals("views depend on each other in a cycle: s.a -> s.b -> s.a (each reads the next); remove one of"
        + " these references", e.getMessage());
  }

  @Test
  void aQueryThatDoesNotRunIsRefusedUnlessWhatItReadsChangesFirst() {
    Catalog catalog = catalog().view(LiveViews.materialized("s.a", " SELECT 1 AS x;", "x").build()).build();
    ViewModel model = ViewModel.of(ViewDefinition.materializedView("s.a", "SELECT nope FROM shop.orders").build());
    ChangeDetector.Probe failed = new ChangeDetector.Probe(null, List.of(), Map.of(), "column \"nope\" does not exist", false);

    MviewException e = assertThrows(MviewException.class, () -> Reconciler.plan(model, catalog,
        Map.of(QualifiedName.of("s", "a"), failed), ReconcileOptions.defaults()));

    assertEquals(MviewException.Kind.QUERY_DOES_NOT_RUN, e.kind());
    assertEquals("the query of materialized view s.a does not run: column \"nope\" does not exist\nNothing was"
        + " changed. Fix the definition of s.a and run again.", e.getMessage());
  }

  @Test
  void offlineAReplaceRebuildsTheDependentsTheEarlierDeclarationsDefine() {
    ViewModel earlier = ViewModel.of(
        ViewDefinition.materializedView("s.a", "SELECT 1 AS x").build(),
        ViewDefinition.materializedView("s.b", "SELECT x FROM s.a").comment("b").build());
    ViewModel model = ViewModel.of(ViewDefinition.materializedView("s.a", "SELECT 2 AS x").build());

    Plan plan = Reconciler.planOffline(earlier, model, ReconcileOptions.defaults());

    assertEquals(List.of("DROP MATERIALIZED VIEW s.b", "DROP MATERIALIZED VIEW s.a",
        "CREATE MATERIALIZED VIEW s.a AS\nSELECT 2 AS x\nWITH DATA",
        "CREATE MATERIALIZED VIEW s.b AS\nSELECT x FROM s.a\nWITH DATA", "COMMENT ON MATERIALIZED VIEW s.b IS 'b'"),
        plan.statements());
    // Formatting and comments alone change nothing, offline too.
    assertTrue(Reconciler.planOffline(earlier, ViewModel.of(
        ViewDefinition.materializedView("s.a", "select  1 as x -- same").build()), ReconcileOptions.defaults()).isEmpty());
  }

  @Test
  void offlineAViewTheEarlierDeclarationsDoNotHoldIsReplacedIfItExistsAndCannotBeUndone() {
    Plan plan = Reconciler.planOffline(ViewModel.of(),
        ViewModel.of(ViewDefinition.materializedView("s.a", "SELECT 1 AS x").build()), ReconcileOptions.defaults());

    assertEquals(List.of("DROP MATERIALIZED VIEW IF EXISTS s.a", "CREATE MATERIALIZED VIEW s.a AS\nSELECT 1 AS x\nWITH DATA"),
        plan.statements());
    assertEquals(false, plan.reversible());
    MviewException e = assertThrows(MviewException.class, plan::inverse);
    assertEquals(MviewException.Kind.IRREVERSIBLE, e.kind());
  }

  @Test
  void inputsAreTheDeclaredViewsWhatReadsThemAndWhatTheyRead() {
    ViewModel model = ViewModel.of(ViewDefinition.materializedView("s.a", "SELECT id FROM shop.orders JOIN rates USING (id)")
        .build());
    assertEquals(List.of(QualifiedName.of("public", "rates"), QualifiedName.of("s", "a"), QualifiedName.of("s", "b"),
        QualifiedName.of("s", "rates"), ORDERS),
        List.copyOf(Reconciler.inputs(readerOfA(), model, ReconcileOptions.defaults())));
  }
}
