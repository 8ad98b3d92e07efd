package dev.mview.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.QualifiedName;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.RefreshOutcome;
import dev.mview.refresh.RefreshResult;
import dev.mview.refresh.Refresher;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A child JVM killed with SIGKILL in the middle of a Flyway redefinition, a Liquibase update and a
 * swap refresh (in its build and in its install): the server holds the child at a chosen DDL
 * statement (a sleep injected by {@link Faults}) and the test kills it there. The database is then
 * fully as before — a swap killed between its two transactions leaves only its copy — and the next
 * run completes with nothing left behind.
 */
@Tag("reliability")
@ExtendWith(PostgresExtension.class)
class CrashTest {
  static final String ROOT = "SELECT id, v FROM c.t";
  static final String CHANGED = "SELECT id, v, v * 10 AS big FROM c.t";
  private static int crashes;

  @BeforeAll
  static void views(TestDatabase db) {
    Reliability.roles(db, "c_reader");
    db.execute("CREATE SCHEMA c", "CREATE TABLE c.t (id int PRIMARY KEY, v int)",
        "INSERT INTO c.t SELECT g, g FROM generate_series(1, 100) g",
        "CREATE MATERIALIZED VIEW c.root AS " + ROOT, "CREATE UNIQUE INDEX root_id ON c.root (id)",
        "CREATE MATERIALIZED VIEW c.mid AS SELECT id, v FROM c.root", "CREATE UNIQUE INDEX mid_id ON c.mid (id)",
        "COMMENT ON MATERIALIZED VIEW c.mid IS 'reads root'", "GRANT SELECT ON c.mid TO c_reader",
        "CREATE VIEW c.top AS SELECT id FROM c.mid WHERE v > 90",
        "CREATE MATERIALIZED VIEW c.alone AS SELECT id, v FROM c.t WHERE v % 2 = 0",
        "CREATE INDEX alone_v ON c.alone (v)", "COMMENT ON MATERIALIZED VIEW c.alone IS 'swapped'",
        "GRANT SELECT ON c.alone TO c_reader");
    Faults.install(db);
  }

  @AfterAll
  static void counts() {
    Reliability.count("crashes survived=" + crashes + " (SIGKILL of the migrating JVM in a Flyway redefinition,"
        + " a Liquibase update and a swap refresh): each left the database fully before, and the next run completed"
        + " with nothing left behind");
  }

  @Test
  void aFlywayRedefinitionKilledHalfway(TestDatabase db) throws Exception {
    Flyway flyway = Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).schemas("cfw")
        .javaMigrations(new CrashChild.V2__Redefine_root()).load();
    Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).schemas("cfw").load().migrate();
    List<String> before = Reliability.state(db, "c");

    killAt(db, 6, "", "flyway");

    assertEquals(before, Reliability.state(db, "c"));
    assertEquals(0L, db.<Long>value("SELECT count(*) FROM cfw.flyway_schema_history WHERE version = '2'"));
    flyway.migrate();
    assertEquals(1L, db.<Long>value("SELECT count(*) FROM cfw.flyway_schema_history WHERE version = '2' AND success"));
    assertTrue(db.<String>value("SELECT pg_get_viewdef('c.root'::regclass)").contains("big"));
    assertEquals(without(before, "c.root "), without(Reliability.state(db, "c"), "c.root "));
    assertEquals(List.of(), Reliability.leftovers(db));
    db.execute("DROP SCHEMA cfw CASCADE");
    try (Connection connection = db.connect()) {
      dev.mview.plan.Reconciler.plan(connection, dev.mview.model.ViewModel.of(
          dev.mview.model.ViewDefinition.materializedView("c.root", ROOT).build())).execute(connection);
    }
    assertEquals(before, Reliability.state(db, "c"));
  }

  @Test
  void aLiquibaseUpdateKilledHalfway(TestDatabase db) throws Exception {
    db.execute("CREATE SCHEMA clb");
    String changelog = Liquibase.changelog("""
        databaseChangeLog:
          - changeSet:
              id: redefine-root
              author: test
              changes:
                - createMaterializedView:
                    schemaName: c
                    viewName: root
                    replaceIfExists: true
                    selectQuery: %s
        """.formatted(CHANGED), "yaml");
    String plainUrl = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=clb";
    List<String> before = Reliability.state(db, "c");

    killAt(db, 6, "&currentSchema=clb", "liquibase", changelog);

    assertEquals(before, Reliability.state(db, "c"));
    assertEquals(0L, db.<Long>value("SELECT count(*) FROM clb.databasechangelog"));
    // Liquibase's own lock is a row the killed update left set: releasing it is Liquibase's step, not mview's.
    assertEquals(Boolean.TRUE, db.value("SELECT locked FROM clb.databasechangeloglock"));
    Liquibase.releaseLocks(plainUrl, db);
    Liquibase.update(plainUrl, db, changelog);
    assertEquals(1L, db.<Long>value("SELECT count(*) FROM clb.databasechangelog"));
    assertTrue(db.<String>value("SELECT pg_get_viewdef('c.root'::regclass)").contains("big"));
    assertEquals(without(before, "c.root "), without(Reliability.state(db, "c"), "c.root "));
    assertEquals(List.of(), Reliability.leftovers(db));
    db.execute("DROP SCHEMA clb CASCADE");
    try (Connection connection = db.connect()) {
      dev.mview.plan.Reconciler.plan(connection, dev.mview.model.ViewModel.of(
          dev.mview.model.ViewDefinition.materializedView("c.root", ROOT).build())).execute(connection);
    }
    assertEquals(before, Reliability.state(db, "c"));
  }

  @Test
  void aSwapRefreshKilledInItsBuildAndInItsInstall(TestDatabase db) throws Exception {
    List<String> before = Reliability.state(db, "c");
    RefreshOptions swap = RefreshOptions.builder().views(QualifiedName.of("c", "alone")).swap(true).build();
    // The first refresh also creates the refresh history table: the runs below find it there.
    Refresher.refresh(db.dataSource(), swap).throwIfFailed();
    // How many DDL statements a swap of c.alone takes, counted on a run that is not killed.
    Faults.arm(db, Long.MAX_VALUE, Faults.Kind.SLEEP);
    try (Connection connection = Reliability.connect(db, "mview-count", Faults.settings(Faults.Kind.SLEEP))) {
      assertEquals(RefreshOutcome.REFRESHED, Refresher.refresh(connection, swap).results().get(0).outcome());
    }
    long statements = Faults.counted(db);
    assertTrue(statements >= 4, "a swap of " + statements + " DDL statements");
    assertEquals(before, Reliability.state(db, "c"));

    for (long at : new long[] {1, statements}) {
      killAt(db, at, "", "swap");
      // Killed in the build, nothing is left; in the install, the copy the build committed, and only it.
      List<String> after = Reliability.state(db, "c");
      List<String> leftOver = new ArrayList<>(after);
      leftOver.removeAll(before);
      assertTrue(after.containsAll(before), "lost: " + before);
      assertTrue(leftOver.stream().allMatch(line -> line.startsWith("c.mview_swap_")), leftOver.toString());
      List<RefreshResult> results = Refresher.refresh(db.dataSource(), RefreshOptions.builder().schemas("c").build())
          .results();
      assertTrue(results.stream().allMatch(r -> r.outcome() == RefreshOutcome.REFRESHED), results.toString());
      assertEquals(List.of(), Reliability.leftovers(db));
      assertEquals(before, Reliability.state(db, "c"));
    }
  }

  /**
   * Starts a child JVM ({@link CrashChild} {@code mode} and {@code more}, on the database's URL with
   * {@code urlSuffix}) whose session sleeps at its DDL statement
   * {@code at}, kills it with SIGKILL while it sleeps there, and waits until the server has
   * dropped its session (it notices the lost client through {@code client_connection_check_interval}).
   */
  private static void killAt(TestDatabase db, long at, String urlSuffix, String mode, String... more) throws Exception {
    Faults.arm(db, at, Faults.Kind.SLEEP);
    String url = Reliability.url(db, "mview-crash", "mview.fault=on", "client_connection_check_interval=100") + urlSuffix;
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), mode, url, db.user()));
    command.addAll(List.of(more));
    File log = Files.createTempFile("mview-crash-", ".log").toFile();
    Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    try {
      while (db.<Long>value("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'mview-crash'"
          + " AND wait_event = 'PgSleep'") == 0) {
        assertTrue(child.isAlive(), "the child ended before its statement " + at + ":\n" + Files.readString(log.toPath()));
        Thread.sleep(50);
      }
      assertEquals(at, Faults.counted(db));
    } finally {
      child.destroyForcibly().waitFor();
    }
    while (db.<Long>value("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'mview-crash'") > 0) {
      Thread.sleep(50);
    }
    assertTrue(child.exitValue() != 0);
    crashes++;
    log.delete();
  }

  private static List<String> without(List<String> state, String prefix) {
    return state.stream().filter(line -> !line.startsWith(prefix)).toList();
  }
}
