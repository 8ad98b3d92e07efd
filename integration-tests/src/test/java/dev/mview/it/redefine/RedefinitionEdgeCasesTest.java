package dev.mview.it.redefine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.IndexDefinition;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import dev.mview.plan.Plan;
import dev.mview.plan.Reconciler;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Replacements whose dependents, indexes or kind make the plan harder than a plain chain. */
@ExtendWith(PostgresExtension.class)
class RedefinitionEdgeCasesTest {

  @BeforeEach
  void table(TestDatabase db) {
    db.execute("DROP SCHEMA IF EXISTS e CASCADE", "CREATE SCHEMA e",
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'edge_reader') THEN"
            + " CREATE ROLE edge_reader; END IF; IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'edge_owner') THEN"
            + " CREATE ROLE edge_owner; END IF; END $$",
        "GRANT ALL ON SCHEMA e TO edge_owner",
        "CREATE TABLE e.t (id int PRIMARY KEY, n int NOT NULL)",
        "INSERT INTO e.t SELECT i, i FROM generate_series(1, 10) i");
  }

  private static Plan replan(TestDatabase db, ViewModel model) throws Exception {
    try (Connection connection = db.connect()) {
      Plan plan = Reconciler.plan(connection, model);
      plan.execute(connection);
      return plan;
    }
  }

  @Test
  void aDeclaredViewReadingAViewMadeByHandIsRecreatedAfterIt(TestDatabase db) throws Exception {
    // x (declared) <- u (by hand) <- a (declared): a sorts before u, so only the live edge orders them.
    db.execute("CREATE MATERIALIZED VIEW e.x AS SELECT id, n FROM e.t",
        "CREATE VIEW e.u AS SELECT id, n FROM e.x",
        "CREATE MATERIALIZED VIEW e.a AS SELECT sum(n) AS total FROM e.u");
    ViewModel model = ViewModel.of(
        ViewDefinition.materializedView("e.x", "SELECT id, n * 2 AS n FROM e.t").build(),
        ViewDefinition.materializedView("e.a", "SELECT sum(n) AS total FROM e.u").build());

    Plan plan = replan(db, model);

    assertEquals(List.of("drop e.a", "drop e.u", "drop e.x", "create e.x", "recreate e.u", "recreate e.a"),
        plan.steps().stream().map(step -> step.action().label() + " " + step.view()).toList());
    assertEquals(110L, db.<Number>value("SELECT total FROM e.a").longValue());
  }

  @Test
  void aPartialIndexOnAColumnTheNewQueryAddsIsPlanned(TestDatabase db) throws Exception {
    db.execute("CREATE MATERIALIZED VIEW e.p AS SELECT id FROM e.t");
    ViewModel model = ViewModel.of(ViewDefinition.materializedView("e.p", "SELECT id, n AS extra FROM e.t")
        .index(IndexDefinition.on("id").where("extra > 5").build()).build());

    replan(db, model);

    assertTrue(db.<String>value("SELECT pg_get_indexdef('e.p_id_idx'::regclass)").contains("WHERE (extra > 5)"));
  }

  @Test
  void aViewThatBecomesMaterializedKeepsItsOwnerGrantsAndColumnComments(TestDatabase db) throws Exception {
    db.execute("CREATE VIEW e.k AS SELECT id, n FROM e.t",
        "GRANT SELECT ON e.k TO edge_reader",
        "COMMENT ON COLUMN e.k.n IS 'the n'",
        "ALTER VIEW e.k OWNER TO edge_owner");
    long before = db.<Number>value("SELECT 'e.k'::regclass::oid::bigint").longValue();

    replan(db, ViewModel.of(ViewDefinition.materializedView("e.k", "SELECT id, n FROM e.t").build()));

    assertNotEquals(before, db.<Number>value("SELECT 'e.k'::regclass::oid::bigint").longValue());
    assertEquals("m", db.value("SELECT relkind::text FROM pg_class WHERE oid = 'e.k'::regclass"));
    assertEquals("edge_owner", db.value("SELECT pg_get_userbyid(relowner)::text FROM pg_class WHERE oid = 'e.k'::regclass"));
    assertTrue(db.<Boolean>value("SELECT has_table_privilege('edge_reader', 'e.k', 'SELECT')"));
    assertEquals("the n", db.value("SELECT col_description('e.k'::regclass, 2)"));
  }

  @Test
  void anIndexMadeByHandOnAColumnThatGoesAwayIsNamedInThePlan(TestDatabase db) throws Exception {
    db.execute("CREATE MATERIALIZED VIEW e.h AS SELECT id, n FROM e.t",
        "CREATE INDEX h_n ON e.h (n)", "CREATE INDEX h_id ON e.h (id)");

    Plan plan = replan(db, ViewModel.of(ViewDefinition.materializedView("e.h", "SELECT id FROM e.t").build()));

    assertTrue(plan.toScript().contains("-- create e.h: definition changed; not kept: index h_n (its columns [n]"
        + " are not all in the new definition)\n"), plan.toScript());
    assertEquals(List.of("h_id"), db.column("SELECT indexname::text FROM pg_indexes WHERE tablename = 'h'"));
  }
}
