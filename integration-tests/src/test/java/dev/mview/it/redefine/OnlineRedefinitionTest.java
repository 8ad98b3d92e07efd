package dev.mview.it.redefine;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Online redefinition of a root read by six views in three levels — materialized and plain, two
 * made by hand, grants (column grants, grant options), comments (column comments too), an index
 * made by hand, another owner: it ends exactly where the plan in place ends, readers of the live
 * views are not stopped by the build, and a failure anywhere leaves nothing behind.
 */
@ExtendWith(PostgresExtension.class)
class OnlineRedefinitionTest {
  private static final String NEW_ROOT = "SELECT id, customer, amount, amount * 100 AS cents FROM o.orders";

  private static ViewModel model(String rootQuery) {
    return ViewModel.of(
        ViewDefinition.materializedView("o.root", rootQuery).index(IndexDefinition.unique("id")).comment("the root")
            .build(),
        ViewDefinition.materializedView("o.by_customer",
                "SELECT customer, sum(amount) AS total, count(*) AS n FROM o.root GROUP BY customer")
            .index(IndexDefinition.unique("customer")).build(),
        ViewDefinition.view("o.big", "SELECT id, amount FROM o.root WHERE amount > 10").build());
  }

  @BeforeEach
  void closure(TestDatabase db) throws Exception {
    db.execute("DROP SCHEMA IF EXISTS o CASCADE",
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'online_reader') THEN CREATE ROLE online_reader;"
            + " END IF; IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'online_owner') THEN CREATE ROLE online_owner;"
            + " END IF; END $$",
        "CREATE SCHEMA o", "GRANT ALL ON SCHEMA o TO online_owner, online_reader",
        "CREATE TABLE o.orders (id int PRIMARY KEY, customer text NOT NULL, amount int NOT NULL)",
        "INSERT INTO o.orders SELECT g, 'c' || (g % 7), g % 23 FROM generate_series(1, 500) g",
        "CREATE FUNCTION o.boom(which text) RETURNS boolean LANGUAGE plpgsql STABLE AS"
            + " $$ BEGIN IF current_setting('online.boom', true) = which THEN RAISE EXCEPTION 'boom in %', which;"
            + " END IF; RETURN true; END $$");
    try (Connection connection = db.connect()) {
      Planner.create(model("SELECT id, customer, amount FROM o.orders")).execute(connection);
    }
    db.execute(
        // level 2 and 3, made by hand, with what a recreate must keep
        "CREATE MATERIALIZED VIEW o.top AS SELECT customer, total FROM o.by_customer WHERE o.boom('top') ORDER BY total DESC"
            + " LIMIT 3",
        "CREATE INDEX top_total ON o.top (total)",
        "COMMENT ON MATERIALIZED VIEW o.top IS 'made by hand'",
        "COMMENT ON COLUMN o.top.total IS 'sum of amounts'",
        "ALTER MATERIALIZED VIEW o.top OWNER TO online_owner",
        "CREATE VIEW o.big_customers AS SELECT b.id, c.total FROM o.big b JOIN o.by_customer c ON true",
        "GRANT SELECT ON o.big_customers TO online_reader WITH GRANT OPTION",
        "GRANT SELECT (total) ON o.top TO online_reader",
        "CREATE VIEW o.top_names AS SELECT customer FROM o.top",
        "GRANT SELECT ON o.by_customer, o.root TO online_reader",
        "COMMENT ON COLUMN o.by_customer.total IS 'per customer'");
  }

  private static Plan plan(TestDatabase db, ReconcileOptions options) throws Exception {
    try (Connection connection = db.connect()) {
      return Reconciler.plan(connection, model(NEW_ROOT), options);
    }
  }

  private static void run(TestDatabase db, Plan plan) throws Exception {
    try (Connection connection = db.connect()) {
      plan.execute(connection);
    }
  }

  private static List<String> snapshot(TestDatabase db) {
    return CatalogSnapshot.of(db, "o");
  }

  @Test
  void anOnlinePlanEndsExactlyWhereThePlanInPlaceEnds(TestDatabase db) throws Exception {
    run(db, plan(db, ReconcileOptions.defaults()));
    List<String> inPlace = snapshot(db);
    closure(db);

    Plan online = plan(db, ReconcileOptions.builder().online(true).build());
    run(db, online);

    assertEquals(inPlace, snapshot(db));
    assertEquals(0L, db.<Long>value("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'mview_online_%'"));
    assertEquals(6, online.steps().stream().filter(step -> step.action() == Step.Action.RENAME).count(),
        online.toScript());
    assertTrue(online.toScript().contains("-- " + Plan.READERS_WAIT), online.toScript());
    assertEquals(500L * 100 / 100, db.<Long>value("SELECT count(*) FROM o.root WHERE cents = amount * 100"));
  }

  @Test
  void readersOfTheLiveViewsDoNotStopTheBuildTheMigrationWaitsOnlyAtTheTail(TestDatabase db) throws Exception {
    Plan online = plan(db, ReconcileOptions.builder().online(true).build());
    Step firstBlocking = online.steps().stream().filter(Step::blocksReaders).findFirst().orElseThrow();
    List<String> before = relations(db);

    try (Connection reader = db.connect(); Statement reading = reader.createStatement()) {
      reader.setAutoCommit(false);
      reading.execute("SELECT count(*) FROM o.root");
      reading.execute("SELECT count(*) FROM o.top");
      reading.execute("SELECT count(*) FROM o.top_names");
      CompletableFuture<Void> migration = CompletableFuture.runAsync(() -> {
        try {
          run(db, online);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      // The migrating session builds everything, then waits for the readers at the first tail step.
      String waiting = awaitWaitingQuery(db);
      assertEquals(firstBlocking.statements().get(0), waiting);
      // Read without deparsing: a deparse would queue behind the migration's lock request.
      assertEquals(before, relations(db), "nothing in the closure changed before the tail");
      reader.rollback();
      migration.get();
    }
    assertEquals(List.of("cents"), db.column("SELECT attname::text FROM pg_attribute WHERE attrelid = 'o.root'::regclass"
        + " AND attname = 'cents'"));
  }

  /** Each relation of the schema with its OID and ACL, read from pg_class alone (no relation locks). */
  private static List<String> relations(TestDatabase db) {
    return db.column("SELECT relname || ' ' || oid || ' ' || relkind::text || ' ' || coalesce(relacl::text, '')"
        + " FROM pg_class WHERE relnamespace = 'o'::regnamespace ORDER BY relname");
  }

  /** The statement of the session that waits for a lock another session holds, once there is one. */
  private static String awaitWaitingQuery(TestDatabase db) throws InterruptedException {
    for (int i = 0; i < 2400; i++) {
      List<String> waiting = db.column("SELECT a.query FROM pg_stat_activity a WHERE a.datname = current_database()"
          + " AND a.wait_event_type = 'Lock'");
      if (!waiting.isEmpty()) {
        return waiting.get(0);
      }
      Thread.sleep(25);
    }
    throw new AssertionError("the migration never waited for the readers");
  }

  @Test
  void aFailureInTheBuildLeavesEverythingAsItWas(TestDatabase db) throws Exception {
    List<String> before = snapshot(db);
    Plan online = plan(db, ReconcileOptions.builder().online(true).build());

    MviewException e = assertThrows(MviewException.class, () -> {
      try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
        statement.execute("SET online.boom = 'top'");
        online.execute(connection);
      }
    });

    assertTrue(e.getMessage().contains("boom in top"), e.getMessage());
    assertEquals(before, snapshot(db));
    assertEquals(0L, db.<Long>value("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'mview_online_%'"));
  }

  @Test
  void aFailureInTheTailLeavesEverythingAsItWas(TestDatabase db) throws Exception {
    // A function that takes the row type of a view in the closure: the tail's drop of it fails.
    db.execute("CREATE FUNCTION o.keep(t o.top) RETURNS int LANGUAGE sql AS 'SELECT 1'");
    List<String> before = snapshot(db);
    Plan online = plan(db, ReconcileOptions.builder().online(true).build());

    MviewException e = assertThrows(MviewException.class, () -> run(db, online));

    assertEquals(MviewException.Kind.STATEMENT_FAILED, e.kind());
    assertTrue(e.getMessage().contains("could not drop o.top"), e.getMessage());
    assertEquals(before, snapshot(db));
    assertEquals(0L, db.<Long>value("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'mview_online_%'"));
  }

  @Test
  void theInverseOfAnOnlinePlanRestoresTheCatalog(TestDatabase db) throws Exception {
    List<String> before = snapshot(db);
    Plan online = plan(db, ReconcileOptions.builder().online(true).build());
    run(db, online);

    run(db, online.inverse());

    assertEquals(before, snapshot(db));
  }
}
