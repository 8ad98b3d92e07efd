package dev.mview.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.MviewRollback;
import dev.mview.flyway.Views;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import dev.mview.plan.Plan;
import dev.mview.plan.Reconciler;
import dev.mview.refresh.RefreshHistory;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.RefreshOutcome;
import dev.mview.refresh.Refresher;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * After every redefinition, swap refresh and rollback, the privileges on every view — grantee
 * (the role named "PUBLIC" and PUBLIC itself apart), privilege, grant option, grantor, column
 * grants, and what the owner gave up of its own — are exactly those from before: as a superuser,
 * as the views' non-superuser owner, through the Java API, Flyway and Liquibase.
 */
@Tag("reliability")
@ExtendWith(PostgresExtension.class)
class PrivilegesTest {
  private static final String ROOT = "SELECT id, v FROM p.t";
  private static final String CHANGED = "SELECT id, v, v + 1 AS next FROM p.t";
  private static int checks;

  @BeforeAll
  static void views(TestDatabase db) {
    Reliability.roles(db, "p_owner", "p_reader_a", "p_reader_b", "p_reader_c", "PUBLIC");
    db.execute("ALTER ROLE p_owner LOGIN", "GRANT p_reader_a TO p_owner",
        "CREATE SCHEMA p AUTHORIZATION p_owner", "CREATE TABLE p.t (id int PRIMARY KEY, v int)",
        "INSERT INTO p.t SELECT g, g FROM generate_series(1, 10) g", "GRANT SELECT ON p.t TO p_owner",
        "GRANT USAGE ON SCHEMA p TO p_reader_a, p_reader_b, \"PUBLIC\"",
        "SET ROLE p_owner",
        "CREATE MATERIALIZED VIEW p.root AS " + ROOT,
        "CREATE MATERIALIZED VIEW p.mid AS SELECT id, v FROM p.root",
        "CREATE MATERIALIZED VIEW p.leaf AS SELECT id, v FROM p.mid WHERE v > 2",
        "CREATE VIEW p.plain AS SELECT id FROM p.mid",
        "CREATE MATERIALIZED VIEW p.solo AS SELECT id, v FROM p.t",
        "GRANT SELECT ON p.mid, p.leaf, p.plain, p.solo TO p_reader_a WITH GRANT OPTION",
        "GRANT SELECT ON p.mid, p.solo TO \"PUBLIC\"",
        "GRANT SELECT ON p.leaf TO PUBLIC",
        "GRANT SELECT (id), UPDATE (v) ON p.leaf TO p_reader_c",
        "REVOKE TRIGGER ON p.mid, p.leaf, p.solo FROM p_owner",
        "SET ROLE p_reader_a",
        "GRANT SELECT ON p.mid, p.leaf, p.solo TO p_reader_b",
        "RESET ROLE",
        // A superuser's grant is recorded as the owner's.
        "GRANT INSERT ON p.solo TO p_reader_c");
    if (db.majorVersion() >= 17) {
      db.execute("GRANT MAINTAIN ON p.mid, p.solo TO p_reader_a");
    }
  }

  @AfterAll
  static void counts() {
    Reliability.count("privilege checks=" + checks + " (every view's ACL: grantee, privilege, grant option, grantor,"
        + " column grants) after redefinitions, swaps and rollbacks, as superuser and as owner: all equal");
  }

  /** Each privilege of each view and column of schema p: relation, column, grantee, privilege, grant option, grantor. */
  private static List<String> acl(TestDatabase db) {
    return db.column("""
        SELECT who.object || ' ' || coalesce(quote_ident(pg_get_userbyid(nullif(x.grantee, 0))), 'PUBLIC (everyone)')
               || '=' || x.privilege_type || CASE WHEN x.is_grantable THEN ' with grant option' ELSE '' END
               || ' by ' || quote_ident(pg_get_userbyid(x.grantor))
        FROM (SELECT c.relname::text AS object, c.relacl AS acl FROM pg_class c
              WHERE c.relnamespace = 'p'::regnamespace AND c.relkind IN ('v', 'm')
              UNION ALL
              SELECT c.relname || '.' || a.attname, a.attacl FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
              WHERE c.relnamespace = 'p'::regnamespace AND c.relkind IN ('v', 'm') AND a.attnum > 0) who,
             aclexplode(who.acl) x
        ORDER BY 1""");
  }

  private static void assertSame(List<String> before, TestDatabase db, String after) {
    assertEquals(before, acl(db), after);
    checks++;
  }

  private static Connection asOwner(TestDatabase db) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("user", "p_owner");
    return DriverManager.getConnection(db.jdbcUrl(), properties);
  }

  private static ViewModel root(String query) {
    return ViewModel.of(ViewDefinition.materializedView("p.root", query).build());
  }

  @Test
  void theJavaApiAsSuperuserAndAsOwner(TestDatabase db) throws Exception {
    List<String> before = acl(db);
    assertTrue(before.contains("mid \"PUBLIC\"=SELECT by p_owner"), before.toString());
    assertTrue(before.contains("leaf PUBLIC (everyone)=SELECT by p_owner"), before.toString());
    assertTrue(before.contains("mid p_reader_b=SELECT by p_reader_a"), before.toString());
    assertTrue(before.stream().noneMatch(line -> line.startsWith("mid p_owner=TRIGGER")), before.toString());
    for (boolean owner : new boolean[] {false, true}) {
      try (Connection connection = owner ? asOwner(db) : db.connect()) {
        String who = owner ? "as owner" : "as superuser";
        Plan plan = Reconciler.plan(connection, root(CHANGED));
        plan.execute(connection);
        assertSame(before, db, "after a redefinition " + who);
        plan.inverse().execute(connection);
        assertSame(before, db, "after its inverse " + who);
        Reconciler.plan(connection, root(CHANGED)).execute(connection);
        Reconciler.plan(connection, root(ROOT)).execute(connection);
        assertSame(before, db, "after a redefinition back " + who);
        for (String view : List.of("solo", "root")) {
          // Without history: the owner may not write the superuser's table (RefreshHistoryTest covers that).
          assertEquals(RefreshOutcome.REFRESHED, Refresher.refresh(connection, RefreshOptions.builder()
              .views(QualifiedName.of("p", view)).swap(true).history(RefreshHistory.off()).build()).results().get(0)
              .outcome());
          assertSame(before, db, "after a swap refresh of p." + view + " " + who);
        }
      }
    }
  }

  @Test
  void anOwnerWhoCannotActAsAGrantorIsToldWhichGrantChangesGrantor(TestDatabase db) throws Exception {
    db.execute("REVOKE p_reader_a FROM p_owner");
    try (Connection connection = asOwner(db)) {
      String script = Reconciler.plan(connection, root(CHANGED)).toScript();
      assertTrue(script.contains("SELECT on p.mid to p_reader_b will be recorded as granted by p_owner, not p_reader_a"
          + " (mview cannot act as p_reader_a)"), script);
      checks++;
    } finally {
      db.execute("GRANT p_reader_a TO p_owner");
    }
  }

  /** Version 1 of the Flyway run: the views as they are. */
  public static final class V1__Before extends BaseJavaMigration {
    @Override
    public void migrate(Context context) {}
  }

  /** Version 2: p.root redefined, its readers rebuilt. */
  public static final class V2__Redefine_root extends MaterializedViewMigration {
    @Override
    protected void declare(Views views) {
      views.materialized("p.root", CHANGED);
    }
  }

  @Test
  void aFlywayRedefinitionAndItsRollback(TestDatabase db) {
    List<String> before = acl(db);
    Flyway flyway = Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).schemas("pfw")
        .javaMigrations(new V1__Before(), new V2__Redefine_root()).load();
    flyway.migrate();
    assertSame(before, db, "after a Flyway redefinition");
    MviewRollback.rollbackTo(flyway, "1");
    assertSame(before, db, "after its rollback");
    assertTrue(!db.<String>value("SELECT pg_get_viewdef('p.root'::regclass)").contains("next"));
  }

  @Test
  void aLiquibaseReplaceAndItsRollback(TestDatabase db) throws Exception {
    List<String> before = acl(db);
    String changelog = Liquibase.changelog("""
        databaseChangeLog:
          - changeSet:
              id: root
              author: test
              changes:
                - createMaterializedView:
                    schemaName: p
                    viewName: root
                    replaceIfExists: true
                    selectQuery: %s
          - changeSet:
              id: root-changed
              author: test
              changes:
                - createMaterializedView:
                    schemaName: p
                    viewName: root
                    replaceIfExists: true
                    selectQuery: %s
        """.formatted(ROOT, CHANGED), "yaml");
    Liquibase.update(db, changelog);
    assertSame(before, db, "after a Liquibase replace");
    Liquibase.rollbackOne(db, changelog);
    assertSame(before, db, "after its rollback");
    assertTrue(!db.<String>value("SELECT pg_get_viewdef('p.root'::regclass)").contains("next"));
  }
}
