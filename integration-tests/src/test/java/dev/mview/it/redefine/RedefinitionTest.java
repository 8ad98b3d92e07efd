package dev.mview.it.redefine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.MviewException;
import dev.mview.it.support.CatalogSnapshot;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.IndexDefinition;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import dev.mview.plan.Plan;
import dev.mview.plan.Planner;
import dev.mview.plan.ReconcileOptions;
import dev.mview.plan.Reconciler;
import dev.mview.plan.Step;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chain table -> MV a -> view b -> MV c, plus view d on c made by hand (not declared) with a
 * comment, a column comment, table and column grants to another role and another owner, and an
 * unrelated view u. c has a grant (MAINTAIN too on 17+), a column comment, another owner and an
 * index made by hand. Each test starts from that state.
 */
@ExtendWith(PostgresExtension.class)
class RedefinitionTest {
  private static final String A_QUERY = "SELECT id, amount FROM s.t WHERE amount > 0";

  private static ViewModel model(String aQuery) {
    return ViewModel.of(
        ViewDefinition.materializedView("s.c", "SELECT id, doubled FROM s.b")
            .index(IndexDefinition.unique("id"))
            .index(IndexDefinition.on("doubled").where("doubled > 10").build())
            .comment("the c").build(),
        ViewDefinition.view("s.b", "SELECT id, amount * 2 AS doubled FROM s.a").build(),
        ViewDefinition.materializedView("s.a", aQuery).index(IndexDefinition.unique("id")).build(),
        ViewDefinition.view("s.u", "SELECT count(*) AS n FROM s.t").build());
  }

  @BeforeEach
  void chain(TestDatabase db) throws Exception {
    db.execute(
        "DROP SCHEMA IF EXISTS s CASCADE",
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'redefine_reader') THEN"
            + " CREATE ROLE redefine_reader; END IF;"
            + " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'redefine_owner') THEN"
            + " CREATE ROLE redefine_owner; END IF; END $$",
        "CREATE SCHEMA s",
        "GRANT ALL ON SCHEMA s TO redefine_owner",
        "CREATE TABLE s.t (id int PRIMARY KEY, amount numeric NOT NULL)",
        "INSERT INTO s.t SELECT i, i - 3 FROM generate_series(1, 20) i");
    try (Connection connection = db.connect()) {
      Planner.create(model(A_QUERY)).execute(connection);
    }
    db.execute(
        "CREATE VIEW s.d AS SELECT id, doubled + 1 AS plus_one FROM s.c",
        "COMMENT ON VIEW s.d IS 'made by hand'",
        "COMMENT ON COLUMN s.d.plus_one IS 'one more'",
        "GRANT SELECT ON s.d TO redefine_reader WITH GRANT OPTION",
        "GRANT UPDATE (plus_one) ON s.d TO redefine_reader",
        "ALTER VIEW s.d OWNER TO redefine_owner",
        "GRANT SELECT ON s.c TO redefine_reader",
        "COMMENT ON COLUMN s.c.doubled IS 'twice the amount'",
        "ALTER MATERIALIZED VIEW s.c OWNER TO redefine_owner",
        "CREATE INDEX c_by_hand ON s.c (doubled, id)");
    if (db.majorVersion() >= 17) {
      db.execute("GRANT MAINTAIN ON s.c TO redefine_reader"); // refresh rights, new in 17
    }
  }

  private static Plan plan(TestDatabase db, ViewModel model) throws Exception {
    try (Connection connection = db.connect()) {
      return Reconciler.plan(connection, model);
    }
  }

  private static void execute(TestDatabase db, Plan plan) throws Exception {
    try (Connection connection = db.connect()) {
      plan.execute(connection);
    }
  }

  private static long oid(TestDatabase db, String relation) {
    return db.<Number>value("SELECT ?::regclass::oid::bigint", relation).longValue();
  }

  @Test
  void changingTheRootRecreatesExactlyItsDependentsWithEverythingKept(TestDatabase db) throws Exception {
    List<String> before = CatalogSnapshot.of(db, "s");
    long unrelated = oid(db, "s.u");
    long d = oid(db, "s.d");
    db.execute("INSERT INTO s.t VALUES (100, 1000)");

    Plan plan = plan(db, model("SELECT id, amount FROM s.t WHERE amount >= 0"));

    assertEquals(List.of("drop s.d", "drop s.c", "drop s.b", "drop s.a", "create s.a", "recreate s.b",
            "recreate s.c", "recreate s.d"),
        plan.steps().stream().map(step -> step.action().label() + " " + step.view()).toList());
    assertTrue(plan.toScript().contains("-- recreate s.d: depends on s.a, which changed\n"), plan.toScript());
    execute(db, plan);

    List<String> after = CatalogSnapshot.of(db, "s");
    assertEquals(without(before, "s.a "), without(after, "s.a "), "b, c, d, t and u are as they were");
    assertTrue(after.stream().anyMatch(line -> line.startsWith("s.a ") && line.contains(">= (0)")), after.toString());
    assertEquals(oid(db, "s.u"), unrelated, "the unrelated view was not touched");
    assertNotEquals(oid(db, "s.d"), d, "d was recreated");
    assertEquals(2001L, db.<Number>value("SELECT max(plus_one) FROM s.d").longValue(), "data is fresh");
    assertEquals(1L, db.<Number>value("SELECT count(*) FROM s.c WHERE id = 3").longValue(), "amount = 0 now counts");
  }

  private static List<String> without(List<String> snapshot, String prefix) {
    return snapshot.stream().filter(line -> !line.startsWith(prefix)).toList();
  }

  @Test
  void reformattingAQueryChangesNothing(TestDatabase db) throws Exception {
    Plan plan = plan(db, model("""
        -- the same query, written differently
        select ID,   AMOUNT
          from S.T   /* a comment */
         where (amount > 0);"""));
    assertTrue(plan.isEmpty(), plan.toScript());
  }

  @Test
  void aCommentOrIndexChangeAltersInPlace(TestDatabase db) throws Exception {
    ViewModel changed = ViewModel.of(
        ViewDefinition.materializedView("s.c", "SELECT id, doubled FROM s.b")
            .index(IndexDefinition.unique("id"))
            .index(IndexDefinition.on("doubled").where("doubled > 12").build())
            .comment("the new c").build(),
        ViewDefinition.view("s.b", "SELECT id, amount * 2 AS doubled FROM s.a").build(),
        ViewDefinition.materializedView("s.a", A_QUERY).index(IndexDefinition.unique("id")).build());
    long c = oid(db, "s.c");
    List<String> before = CatalogSnapshot.of(db, "s");
    Plan plan = plan(db, changed);
    assertEquals(List.of(Step.Action.ALTER), plan.steps().stream().map(Step::action).toList());
    execute(db, plan);
    assertEquals(c, oid(db, "s.c"));
    assertEquals("the new c", db.value("SELECT obj_description('s.c'::regclass, 'pg_class')"));
    assertTrue(db.<String>value("SELECT pg_get_indexdef('s.c_doubled_idx'::regclass)").contains("> (12)"));

    execute(db, plan.inverse());
    assertEquals(before, CatalogSnapshot.of(db, "s"));
  }

  @Test
  void theInversePlanRestoresEveryDefinitionAndProperty(TestDatabase db) throws Exception {
    List<String> before = CatalogSnapshot.of(db, "s");
    Plan plan = plan(db, model("SELECT id, amount + 1 AS amount FROM s.t"));
    execute(db, plan);
    assertNotEquals(before, CatalogSnapshot.of(db, "s"));

    execute(db, plan.inverse());

    assertEquals(before, CatalogSnapshot.of(db, "s"));
  }

  @Test
  void anSqlErrorInTheMiddleOfAPlanLeavesTheCatalogAsItWas(TestDatabase db) throws Exception {
    List<String> before = CatalogSnapshot.of(db, "s");
    ViewModel model = ViewModel.of(
        ViewDefinition.materializedView("s.a", "SELECT id, amount, 1 AS extra FROM s.t").index(IndexDefinition.unique("id")).build(),
        ViewDefinition.view("s.b", "SELECT id, amount * 2 AS doubled FROM s.a").build(),
        ViewDefinition.materializedView("s.c", "SELECT id, doubled FROM s.b").index(IndexDefinition.unique("id"))
            .index(IndexDefinition.on("doubled").where("doubled > 10").build()).comment("the c").build(),
        ViewDefinition.materializedView("s.e", "SELECT id, no_such_column FROM s.c").build(),
        ViewDefinition.materializedView("s.f", "SELECT count(*) AS n FROM s.e").build());
    Plan plan = plan(db, model);
    MviewException e = assertThrows(MviewException.class, () -> execute(db, plan));
    assertTrue(e.getMessage().startsWith("could not create s.e: new materialized view, reads s.c\n"), e.getMessage());
    assertTrue(e.getMessage().contains("no_such_column"), e.getMessage());
    assertEquals(before, CatalogSnapshot.of(db, "s"));
  }

  @Test
  void aDeclaredQueryThatDoesNotRunFailsAtPlanningNamingTheView(TestDatabase db) {
    List<String> before = CatalogSnapshot.of(db, "s");
    MviewException e = assertThrows(MviewException.class,
        () -> plan(db, model("SELECT id, amount FROM s.t WHERE amount > 'zero'::int")));
    assertTrue(e.getMessage().startsWith("the query of materialized view s.a does not run: "), e.getMessage());
    assertTrue(e.getMessage().endsWith("Nothing was changed. Fix the definition of s.a and run again."), e.getMessage());
    assertEquals(before, CatalogSnapshot.of(db, "s"));
  }

  @Test
  void droppingAViewOthersReadNamesThemOrCascadesWhenAsked(TestDatabase db) throws Exception {
    ViewModel withoutC = ViewModel.of(
        ViewDefinition.view("s.b", "SELECT id, amount * 2 AS doubled FROM s.a").build(),
        ViewDefinition.materializedView("s.a", A_QUERY).index(IndexDefinition.unique("id")).build());
    List<String> before = CatalogSnapshot.of(db, "s");
    MviewException e = assertThrows(MviewException.class,
        () -> plan(db, withoutC, ReconcileOptions.builder().drop("s.c").build()));
    assertEquals("cannot drop s.c: s.d reads it. Drop those too (list them to drop) or allow cascading drops.",
        e.getMessage());

    Plan plan = plan(db, withoutC, ReconcileOptions.builder().drop("s.c").cascadeDrops(true).build());
    assertTrue(plan.toScript().contains("-- drop s.d: reads s.c, which is dropped (cascading drop)\n"), plan.toScript());
    execute(db, plan);
    assertEquals(List.of(), db.column("SELECT relname FROM pg_class WHERE relname IN ('c', 'd')"));

    execute(db, plan.inverse());
    assertEquals(before, CatalogSnapshot.of(db, "s"));
  }

  private static Plan plan(TestDatabase db, ViewModel model, ReconcileOptions options) throws Exception {
    try (Connection connection = db.connect()) {
      return Reconciler.plan(connection, model, options);
    }
  }
}
