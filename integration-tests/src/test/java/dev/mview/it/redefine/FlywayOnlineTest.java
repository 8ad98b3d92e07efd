package dev.mview.it.redefine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.MviewRollback;
import dev.mview.flyway.Views;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.SiblingDatabase;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.IndexDefinition;
import dev.mview.plan.Plan;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Online redefinition through Flyway: a versioned view migration with {@code online()} true
 * redefines the root of {@link OnlineClosure}, ends where the same migration in place ends, and
 * the free-edition rollback of it gives back the catalog as it was before; readers of the live
 * views do not stop its build.
 */
@ExtendWith(PostgresExtension.class)
class FlywayOnlineTest {
  /** Creates the root and its reader. */
  public static class V1__Online_closure extends MaterializedViewMigration {
    @Override
    protected void declare(Views views) {
      views.materialized("o.root", OnlineClosure.ROOT).index(IndexDefinition.unique("id")).comment("the root");
      views.materialized("o.by_customer", OnlineClosure.BY_CUSTOMER).index(IndexDefinition.unique("customer"));
    }
  }

  /** Gives the root a column more; online or in place, as constructed. */
  public static class V2__Root_with_cents extends MaterializedViewMigration {
    private final boolean online;

    V2__Root_with_cents(boolean online) {
      this.online = online;
    }

    @Override
    protected void declare(Views views) {
      views.materialized("o.root", OnlineClosure.NEW_ROOT).index(IndexDefinition.unique("id")).comment("the root");
    }

    @Override
    protected boolean online() {
      return online;
    }
  }

  private static Flyway flyway(TestDatabase db, boolean online) {
    return configure(db, online).load();
  }

  private static FluentConfiguration configure(TestDatabase db, boolean online) {
    return Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password())
        // no SQL migrations, and none of other tests found on the class path: only the two below
        .locations("classpath:dev/mview/it/redefine/none")
        .javaMigrations(new V1__Online_closure(), new V2__Root_with_cents(online));
  }

  /** The closure at version 1, with what users made by hand; returns its catalog. */
  private static List<String> version1(TestDatabase db) {
    db.execute("DROP TABLE IF EXISTS flyway_schema_history, flyway_schema_history_mview");
    OnlineClosure.tables(db);
    configure(db, false).target("1").load().migrate();
    OnlineClosure.handMade(db);
    return OnlineClosure.snapshot(db);
  }

  @Test
  void anOnlineMigrationEndsWhereInPlaceEndsAndRollbackRestoresTheCatalog(TestDatabase db) throws Exception {
    List<String> inPlace;
    try (SiblingDatabase sibling = SiblingDatabase.beside(db, "in_place")) {
      version1(sibling.db());
      flyway(sibling.db(), false).migrate();
      inPlace = OnlineClosure.snapshot(sibling.db());
      assertFalse(sibling.db().<String>value("SELECT script FROM flyway_schema_history_mview WHERE version = '2'")
          .contains("mview_online_"), "the reference ran in place");
    }
    List<String> before = version1(db);

    assertEquals(1, flyway(db, true).migrate().migrationsExecuted);

    assertEquals(inPlace, OnlineClosure.snapshot(db));
    assertEquals(0L, OnlineClosure.workSchemas(db));
    String script = db.value("SELECT script FROM flyway_schema_history_mview WHERE version = '2'");
    assertTrue(script.contains("CREATE SCHEMA mview_online_") && script.contains("-- " + Plan.READERS_WAIT), script);
    assertEquals(500L, db.<Long>value("SELECT count(*) FROM o.root WHERE cents = amount * 100"));

    List<MviewRollback.Undone> undone = MviewRollback.rollbackTo(flyway(db, true), "1");

    assertEquals(List.of("2 Root with cents: create or replace o.root"),
        undone.stream().map(u -> u.version() + " " + u.description()).toList());
    assertEquals(before, OnlineClosure.snapshot(db));
    assertEquals(0L, OnlineClosure.workSchemas(db));
    assertEquals(List.of("1"), db.column("SELECT version FROM flyway_schema_history WHERE version IS NOT NULL"));
  }

  @Test
  void readersOfTheLiveViewsDoNotStopTheBuildTheMigrationWaitsOnlyAtTheTail(TestDatabase db) throws Exception {
    version1(db);
    List<String> before = relations(db);

    try (Connection reader = db.connect(); Statement reading = reader.createStatement()) {
      reader.setAutoCommit(false);
      reading.execute("SELECT count(*) FROM o.root");
      reading.execute("SELECT count(*) FROM o.top");
      reading.execute("SELECT count(*) FROM o.top_names");
      CompletableFuture<MigrateResult> migration = CompletableFuture.supplyAsync(() -> flyway(db, true).migrate());

      // The build is done when the migration first waits: at the tail's first drop, for the reader.
      assertEquals("DROP VIEW o.top_names", awaitWaitingQuery(db, migration));
      assertEquals(before, relations(db), "nothing in the closure changed before the tail");
      // In place, the first drop comes before any create; online, the whole closure is built by then.
      assertTrue(db.<Long>value("SELECT count(DISTINCT l.relation) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
          + " WHERE a.wait_event_type = 'Lock' AND l.locktype = 'relation' AND l.granted"
          + " AND NOT EXISTS (SELECT FROM pg_class c WHERE c.oid = l.relation)") > 0,
          "the waiting migration holds the relations it built, which no other session sees yet");
      reader.rollback();
      assertEquals(1, migration.get().migrationsExecuted);
    }
    assertEquals(500L, db.<Long>value("SELECT count(*) FROM o.root WHERE cents = amount * 100"));
    assertEquals(0L, OnlineClosure.workSchemas(db));
  }

  /** Each relation of schema o with its OID, kind and ACL, read from pg_class alone (no relation locks). */
  private static List<String> relations(TestDatabase db) {
    return db.column("SELECT relname || ' ' || oid || ' ' || relkind::text || ' ' || coalesce(relacl::text, '')"
        + " FROM pg_class WHERE relnamespace = 'o'::regnamespace ORDER BY relname");
  }

  /** The statement of the session that waits for a lock, once there is one; fails if the migration ends first. */
  private static String awaitWaitingQuery(TestDatabase db, CompletableFuture<?> migration) throws Exception {
    for (int i = 0; i < 2400 && !migration.isDone(); i++) {
      List<String> waiting = db.column("SELECT query FROM pg_stat_activity WHERE datname = current_database()"
          + " AND wait_event_type = 'Lock'");
      if (!waiting.isEmpty()) {
        return waiting.get(0);
      }
      Thread.sleep(25);
    }
    migration.get();
    throw new AssertionError("the migration never waited for the reader");
  }
}
