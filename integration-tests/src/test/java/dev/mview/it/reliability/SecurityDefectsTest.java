package dev.mview.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.MviewException;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.IndexDefinition;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import dev.mview.plan.Plan;
import dev.mview.plan.Planner;
import dev.mview.plan.Reconciler;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.RefreshOutcome;
import dev.mview.refresh.RefreshReport;
import dev.mview.refresh.Refresher;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One test per defect the security review found, each on a real server: a victim table that any
 * stray statement would drop, and the catalog afterwards, show that nothing but the intended
 * object was touched.
 */
@Tag("reliability")
@ExtendWith(PostgresExtension.class)
class SecurityDefectsTest {
  @BeforeEach
  void victim(TestDatabase db) {
    db.execute("DROP SCHEMA IF EXISTS s CASCADE", "DROP TABLE IF EXISTS public.victim", "CREATE SCHEMA s",
        "CREATE TABLE public.victim (id int)", "CREATE TABLE s.victim (id int)",
        "CREATE TABLE s.t (id int PRIMARY KEY, v int)", "INSERT INTO s.t SELECT g, g FROM generate_series(1, 20) g");
  }

  private static void assertVictimsAlive(TestDatabase db) {
    assertEquals(List.of("public.victim", "s.victim"), db.column("SELECT n.nspname || '.' || c.relname FROM pg_class c"
        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'victim' ORDER BY 1"));
  }

  private static void run(TestDatabase db, Plan plan) throws Exception {
    try (Connection connection = db.connect()) {
      plan.execute(connection);
    }
  }

  /** Defect 1: a carriage return in a name ended the {@code --} heading and ran as SQL. */
  @Test
  void aCarriageReturnInANameStaysInTheName(TestDatabase db) throws Exception {
    String name = "x\rDROP TABLE public.victim;--";
    Plan plan = Planner.create(ViewModel.of(
        ViewDefinition.materializedView(QualifiedName.of("s", name), "SELECT 1 AS id").build()));

    run(db, plan);
    // The printed script, run as one script through the driver, is just as harmless.
    try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
      statement.execute("DROP MATERIALIZED VIEW s.\"" + name.replace("\"", "\"\"") + "\"");
      statement.execute(plan.toScript());
    }

    assertVictimsAlive(db);
    assertEquals(List.of(name), db.column("SELECT relname::text FROM pg_class WHERE relnamespace = 's'::regnamespace"
        + " AND relkind = 'm'"));
  }

  /** Defect 1, second order: an index name made by someone who may create indexes ran as the deployer. */
  @Test
  void aCarriageReturnInAnIndexNameFromTheCatalogStaysInTheName(TestDatabase db) throws Exception {
    db.execute("CREATE MATERIALIZED VIEW s.m AS SELECT id FROM s.t",
        "CREATE UNIQUE INDEX \"k\rDROP TABLE public.victim;--\" ON s.m (id)");
    try (Connection connection = db.connect()) {
      connection.setAutoCommit(false);
      String script = Refresher.plan(connection, RefreshOptions.builder().schemas("s").build()).toScript();
      connection.rollback();
      connection.setAutoCommit(true);
      try (Statement statement = connection.createStatement()) {
        statement.execute(script);
      }
    }
    assertVictimsAlive(db);
  }

  /**
   * Defect 2: texts the tokenizer read as one statement that PostgreSQL and the driver read as
   * three. Each would, as a view's query, drop the victim and still leave a valid script: they are
   * refused when declared, before anything is sent.
   */
  @Test
  void textThatIsMoreThanOneStatementToPostgresqlIsRefused(TestDatabase db) throws Exception {
    List<String> queries = List.of(
        "SELECT 1 AS \u0663$$;DROP TABLE s.victim;CREATE MATERIALIZED VIEW s.x AS SELECT 1 AS \u0663$$",
        "SELECT 1 AS a\u2003$$;DROP TABLE s.victim;CREATE MATERIALIZED VIEW s.x AS SELECT 1 AS a\u2003$$",
        "SELECT 1 AS a\u3000$$;DROP TABLE s.victim;CREATE MATERIALIZED VIEW s.x AS SELECT 1 AS a\u3000$$",
        "SELECT 'x\\'';DROP TABLE s.victim;CREATE MATERIALIZED VIEW s.x AS SELECT 1 --'");
    int refusedWhenDeclared = 0;
    for (String query : queries) {
      for (String mode : List.of("extended", "simple")) {
        for (boolean conforming : new boolean[] {true, false}) {
          ViewModel model;
          try {
            model = ViewModel.of(ViewDefinition.materializedView("s.decoy", query).build());
          } catch (MviewException e) {
            refusedWhenDeclared++;
            continue;
          }
          try (Connection connection = connect(db, mode, conforming)) {
            Planner.create(model).execute(connection);
          } catch (MviewException e) {
            // refused by the server: what matters is what it ran before
          }
          assertVictimsAlive(db);
        }
      }
    }
    assertEquals(queries.size() * 4, refusedWhenDeclared);
    MviewException where = assertThrows(MviewException.class, () -> ViewDefinition.materializedView("s.y", "SELECT 1 AS id")
        .index(IndexDefinition.on("id").where("id > 0 OR 'x\\'';DROP TABLE s.victim;--' = ''").build()));
    assertTrue(where.getMessage().startsWith("index on [id] of view s.y: where"), where.getMessage());
  }

  private static Connection connect(TestDatabase db, String mode, boolean standardConformingStrings) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("user", db.user());
    if (db.password() != null) {
      properties.setProperty("password", db.password());
    }
    properties.setProperty("preferQueryMode", mode);
    Connection connection = java.sql.DriverManager.getConnection(db.jdbcUrl(), properties);
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET standard_conforming_strings = " + (standardConformingStrings ? "on" : "off"));
    }
    return connection;
  }

  /** Defect 2 through Liquibase's {@code selectQuery}. */
  @Test
  void liquibaseRefusesAQueryThatIsMoreThanOneStatement(TestDatabase db) throws Exception {
    String changelog = Liquibase.changelog("""
        databaseChangeLog:
          - changeSet:
              id: hostile
              author: test
              changes:
                - createMaterializedView:
                    schemaName: s
                    viewName: decoy
                    selectQuery: "SELECT 1 AS \u0663$$;DROP TABLE s.victim;CREATE MATERIALIZED VIEW s.x AS SELECT 1 AS \u0663$$"
        """, "yaml");

    Exception e = assertThrows(Exception.class, () -> Liquibase.update(db, changelog));

    assertTrue(Liquibase.messages(e).contains("query of view s.decoy contains ';'"), Liquibase.messages(e));
    assertVictimsAlive(db);
  }

  /** Defect 3: a role named "PUBLIC" became everyone after a rebuild or a swap. */
  @Test
  void aRoleNamedPublicStaysThatRole(TestDatabase db) throws Exception {
    db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'PUBLIC') THEN CREATE ROLE \"PUBLIC\";"
            + " END IF; IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'someone_else') THEN CREATE ROLE someone_else;"
            + " END IF; END $$",
        "CREATE MATERIALIZED VIEW s.up AS SELECT id FROM s.t",
        "CREATE MATERIALIZED VIEW s.d AS SELECT id FROM s.up",
        "GRANT SELECT ON s.d TO \"PUBLIC\"");
    List<String> before = acl(db, "s.d");

    try (Connection connection = db.connect()) {
      Reconciler.plan(connection, ViewModel.of(ViewDefinition.materializedView("s.up", "SELECT id, v FROM s.t").build()))
          .execute(connection);
      assertEquals(before, acl(db, "s.d"));
      assertEquals(RefreshOutcome.REFRESHED, Refresher.refresh(connection, RefreshOptions.builder()
          .views(QualifiedName.of("s", "up")).swap(true).build()).results().get(0).outcome());
    }
    assertEquals(before, acl(db, "s.d"));
    assertEquals(Boolean.FALSE, db.value("SELECT has_table_privilege('someone_else', 's.d', 'SELECT')"));
  }

  /** Defect 4: the owner's own revoked privilege came back, and grantors were lost. */
  @Test
  void privilegesComeBackWithTheirGrantorsAndWithoutWhatTheOwnerGaveUp(TestDatabase db) throws Exception {
    db.execute("DO $$ BEGIN"
            + " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reader_b') THEN CREATE ROLE reader_b; END IF;"
            + " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reader_c') THEN CREATE ROLE reader_c; END IF;"
            + " END $$",
        "CREATE MATERIALIZED VIEW s.up AS SELECT id FROM s.t",
        "CREATE MATERIALIZED VIEW s.d AS SELECT id FROM s.up",
        "CREATE MATERIALIZED VIEW s.alone AS SELECT id FROM s.t",
        "GRANT USAGE ON SCHEMA s TO reader_c");
    for (String view : List.of("s.d", "s.alone")) {
      db.execute("REVOKE TRIGGER ON " + view + " FROM CURRENT_USER",
          "GRANT SELECT ON " + view + " TO reader_c WITH GRANT OPTION",
          "SET ROLE reader_c; GRANT SELECT ON " + view + " TO reader_b; RESET ROLE");
    }
    List<String> before = acl(db, "s.d");
    List<String> aloneBefore = acl(db, "s.alone");
    assertTrue(before.toString().contains("reader_b=SELECT/reader_c"), before.toString());

    try (Connection connection = db.connect()) {
      Reconciler.plan(connection, ViewModel.of(ViewDefinition.materializedView("s.up", "SELECT id, v FROM s.t").build()))
          .execute(connection);
      assertEquals(RefreshOutcome.REFRESHED, Refresher.refresh(connection, RefreshOptions.builder()
          .views(QualifiedName.of("s", "alone")).swap(true).build()).results().get(0).outcome());
    }
    assertEquals(before, acl(db, "s.d"));
    assertEquals(aloneBefore, acl(db, "s.alone"));
    // Revoking from the grantor still takes the access away, as it did before the rebuild.
    db.execute("REVOKE SELECT ON s.d FROM reader_c CASCADE");
    assertEquals(Boolean.FALSE, db.value("SELECT has_table_privilege('reader_b', 's.d', 'SELECT')"));
  }

  /** Each ACL entry of {@code view} as {@code aclexplode} reads it: grantee, grantor, privilege, grant option. */
  private static List<String> acl(TestDatabase db, String view) {
    return db.column("SELECT coalesce(pg_get_userbyid(nullif(x.grantee, 0)), 'public') || '=' || x.privilege_type"
        + " || '/' || pg_get_userbyid(x.grantor) || CASE WHEN x.is_grantable THEN '*' ELSE '' END"
        + " FROM pg_class c, aclexplode(c.relacl) x WHERE c.oid = '" + view + "'::regclass ORDER BY 1");
  }

  /** Defect 5: planning while another session creates and drops views failed with NPEs and lost relations. */
  @Test
  void planningWhileAnotherSessionCreatesAndDropsViewsNeverCrashes(TestDatabase db) throws Exception {
    db.execute("CREATE MATERIALIZED VIEW s.base AS SELECT id FROM s.t", "CREATE UNIQUE INDEX base_id ON s.base (id)");
    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<Integer> churn = CompletableFuture.supplyAsync(() -> {
      int rounds = 0;
      try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
        while (!stop.get()) {
          statement.execute("CREATE MATERIALIZED VIEW s.churn AS SELECT id FROM s.base");
          statement.execute("CREATE VIEW s.churn_reader AS SELECT id FROM s.churn");
          statement.execute("DROP VIEW s.churn_reader");
          statement.execute("DROP MATERIALIZED VIEW s.churn");
          rounds++;
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return rounds;
    });
    List<String> unexpected = new ArrayList<>();
    int planned = 0;
    ViewModel model = ViewModel.of(ViewDefinition.materializedView("s.base", "SELECT id FROM s.t")
        .index(IndexDefinition.unique("id").withName("base_id")).build());
    try (Connection connection = db.connect()) {
      for (int i = 0; i < 300; i++) {
        try {
          if (i % 2 == 0) {
            assertTrue(Reconciler.plan(connection, model).isEmpty());
          } else {
            Refresher.plan(connection, RefreshOptions.builder().schemas("s").build());
          }
          planned++;
        } catch (MviewException e) {
          if (e.kind() != MviewException.Kind.CATALOG_CHANGED) {
            unexpected.add(e.toString());
          }
        } catch (RuntimeException e) {
          unexpected.add(e.toString());
        }
      }
    } finally {
      stop.set(true);
    }
    assertTrue(churn.get() > 0, "the other session changed nothing");
    assertEquals(List.of(), unexpected);
    assertTrue(planned > 250, "planned " + planned + " of 300");
  }

  /** Defect 6: of two swaps of one view, the second waited for the lock, then failed. */
  @Test
  void aSecondSwapOfTheSameViewPlansAgainUnderTheLockAndSucceeds(TestDatabase db) throws Exception {
    db.execute("CREATE MATERIALIZED VIEW s.sw AS SELECT id FROM s.t");
    QualifiedName view = QualifiedName.of("s", "sw");
    RefreshOptions options = RefreshOptions.builder().views(view).swap(true).build();
    try (Connection first = db.connect(); Connection second = db.connect();
        Connection holder = db.connect(); Statement hold = holder.createStatement()) {
      // Both plan the same OID; the first swaps while the second waits for the view's refresh lock.
      dev.mview.refresh.RefreshPlan stale = Refresher.plan(second, options);
      hold.execute("SELECT pg_advisory_lock(" + Refresher.LOCK_CLASS + ", " + Refresher.lockKey(view) + ")");
      CompletableFuture<RefreshReport> waiting = CompletableFuture.supplyAsync(() -> Refresher.refresh(second, options));
      awaitWaitingForAdvisoryLock(db);
      hold.execute("SELECT pg_advisory_unlock(" + Refresher.LOCK_CLASS + ", " + Refresher.lockKey(view) + ")");
      assertEquals(RefreshOutcome.REFRESHED, Refresher.refresh(first, options).results().get(0).outcome());
      RefreshReport report = waiting.get();
      assertEquals(RefreshOutcome.REFRESHED, report.results().get(0).outcome(), report.toString());
      assertFalse(stale.isEmpty());
    }
  }

  private static void awaitWaitingForAdvisoryLock(TestDatabase db) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      if (db.<Long>value("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") > 0) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("nobody waited for the advisory lock");
  }

  /** Defect 7: a copy left by a swap interrupted between its transactions was refreshed as a target. */
  @Test
  void aCopyLeftByAnInterruptedSwapIsRemovedByTheNextRefreshAndNeverRefreshedItself(TestDatabase db)
      throws Exception {
    db.execute("CREATE MATERIALIZED VIEW s.left AS SELECT id FROM s.t",
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'left_reader') THEN CREATE ROLE left_reader;"
            + " END IF; END $$",
        "GRANT SELECT ON s.left TO left_reader");
    long oid = db.<Long>value("SELECT 's.left'::regclass::oid::bigint");
    // What a swap killed after its build left behind: a filled copy named after the view's OID.
    db.execute("CREATE MATERIALIZED VIEW s.mview_swap_" + oid + " AS SELECT id FROM s.t");

    RefreshReport report;
    try (Connection connection = db.connect()) {
      report = Refresher.refresh(connection, RefreshOptions.builder().schemas("s").build());
    }

    assertEquals(List.of(QualifiedName.of("s", "left")), report.results().stream().map(r -> r.view()).toList());
    assertTrue(report.results().get(0).reason().endsWith("; removes s.mview_swap_" + oid
        + ", left by an interrupted swap"), report.results().get(0).reason());
    assertEquals(0L, db.<Long>value("SELECT count(*) FROM pg_class WHERE relname LIKE 'mview_swap_%'"));
  }

  /** Defect 8: a query or predicate ending in a -- comment swallowed the script's semicolon. */
  @Test
  void aTrailingCommentDoesNotSwallowTheScriptsSemicolon(TestDatabase db) throws Exception {
    Plan plan = Planner.create(ViewModel.of(ViewDefinition.materializedView("s.c", "SELECT id FROM s.t -- all of them")
        .index(IndexDefinition.on("id").where("id > 0 -- positive").build()).comment("after the index").build()));
    try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
      statement.execute(plan.toScript());
    }
    assertEquals(1L, db.<Long>value("SELECT count(*) FROM pg_index WHERE indrelid = 's.c'::regclass AND indpred IS NOT NULL"));
  }

  /** Defect 8: values and timeouts PostgreSQL would refuse, or that overflowed, fail cleanly up front. */
  @Test
  void badOptionValuesFailUpFrontNamingTheField() {
    for (String value : List.of("--", "70--", "+")) {
      MviewException e = assertThrows(MviewException.class, () -> ViewDefinition.materializedView("s.v", "SELECT 1")
          .storageParameter("fillfactor", value));
      assertTrue(e.getMessage().contains("storage parameter fillfactor of view s.v"), e.getMessage());
    }
    MviewException index = assertThrows(MviewException.class, () -> ViewDefinition.materializedView("s.v", "SELECT 1")
        .index(IndexDefinition.on(" ").build()));
    assertTrue(index.getMessage().contains("of view s.v"), index.getMessage());
    MviewException depends = assertThrows(MviewException.class, () -> ViewDefinition.materializedView("s.v", "SELECT 1")
        .dependsOn("a.b.c"));
    assertTrue(depends.getMessage().contains("of view s.v"), depends.getMessage());
    for (Duration timeout : List.of(Duration.ofSeconds(Long.MAX_VALUE), Duration.ofDays(30))) {
      MviewException e = assertThrows(MviewException.class, () -> RefreshOptions.builder().lockTimeout(timeout));
      assertTrue(e.getMessage().startsWith("lockTimeout must be whole milliseconds"), e.getMessage());
    }
  }
}
