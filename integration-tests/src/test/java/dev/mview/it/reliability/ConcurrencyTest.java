package dev.mview.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.MviewException;
import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.Views;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.IndexDefinition;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import dev.mview.plan.Reconciler;
import dev.mview.refresh.RefreshMode;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.RefreshOutcome;
import dev.mview.refresh.RefreshResult;
import dev.mview.refresh.Refresher;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs at once: two Flyway migrators (threads) and two Liquibase updates (processes; Liquibase
 * polls its lock once a second here, every 10 s by default) on one database, each framework's lock
 * keeping them apart; refreshes of overlapping views from several threads and from a second
 * JVM while a writer inserts and readers query, for a bounded time; and planning while another
 * session creates and drops views. No reader error, no deadlock, no crash, every view fresh at the end.
 */
@Tag("reliability")
@ExtendWith(PostgresExtension.class)
class ConcurrencyTest {
  private static final long MILLIS = 4000;
  private static final AtomicInteger runs = new AtomicInteger();
  private static final AtomicInteger readerQueries = new AtomicInteger();
  private static int retried;

  @AfterAll
  static void counts() {
    Reliability.count("concurrent runs=" + runs + " (migrators, refreshes from threads and a second JVM, plans under"
        + " DDL churn) beside " + readerQueries + " reader queries: reader errors=0 deadlocks=0 crashes=0,"
        + " plans refused as catalog changed (retried)=" + retried + ", every view fresh at the end");
  }

  /** A view migration with its views, for two Flyway instances to race. */
  public static final class V1__Concurrent_views extends MaterializedViewMigration {
    @Override
    protected void declare(Views views) {
      views.materialized("m.a", "SELECT id, v FROM m.t").index(IndexDefinition.unique("id"));
      views.materialized("m.b", "SELECT v, count(*) AS n FROM m.a GROUP BY v");
    }
  }

  @Test
  void twoMigratorsOfEachFrameworkAtOnce(TestDatabase db) throws Exception {
    db.execute("CREATE SCHEMA m", "CREATE TABLE m.t (id int PRIMARY KEY, v int)",
        "INSERT INTO m.t SELECT g, g % 5 FROM generate_series(1, 100) g", "CREATE SCHEMA mlb");
    List<Callable<Object>> flyways = List.of(() -> flyway(db), () -> flyway(db));
    for (Object result : atOnce(flyways)) {
      assertTrue(result != null);
    }
    assertEquals(List.of("1 true"), db.column("SELECT version || ' ' || success FROM mfw.flyway_schema_history"
        + " WHERE version IS NOT NULL"));
    assertEquals(2L, db.<Long>value("SELECT count(*) FROM pg_matviews WHERE schemaname = 'm'"));

    String changelog = Liquibase.changelog("""
        databaseChangeLog:
          - changeSet:
              id: c
              author: test
              changes:
                - createMaterializedView:
                    schemaName: m
                    viewName: c
                    uniqueKey: v
                    selectQuery: SELECT v, n FROM m.b
                - refreshMaterializedViews:
                    schemaName: m
        """, "yaml");
    String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=mlb";
    Liquibase.update(url, db, Liquibase.changelog("databaseChangeLog: []\n", "yaml"));
    // Two deploying processes, each its own JVM, as two pods or two CI jobs would be.
    List<Process> updates = new ArrayList<>();
    List<File> logs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      File log = Files.createTempFile("mview-update-", ".log").toFile();
      logs.add(log);
      updates.add(child(log, "-Dliquibase.changelogLockPollRate=1", "liquibase", url, db.user(), changelog));
    }
    for (int i = 0; i < 2; i++) {
      assertEquals(0, updates.get(i).waitFor(), Files.readString(logs.get(i).toPath()));
      assertTrue(Files.readString(logs.get(i).toPath()).contains("completed"));
      logs.get(i).delete();
      runs.incrementAndGet();
    }
    assertEquals(List.of("c"), db.column("SELECT id FROM mlb.databasechangelog"));
    assertEquals(0L, db.<Long>value("SELECT count(*) FROM (TABLE m.c EXCEPT SELECT v, n FROM m.b) x"));
  }

  private static Object flyway(TestDatabase db) {
    return Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).schemas("mfw")
        .javaMigrations(new V1__Concurrent_views()).load().migrate();
  }

  /** Starts every task at the same moment and returns their results; a task's failure fails the test. */
  private static List<Object> atOnce(List<Callable<Object>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Object>> futures = new ArrayList<>();
      for (Callable<Object> task : tasks) {
        futures.add(pool.submit(() -> {
          start.await();
          return task.call();
        }));
      }
      start.countDown();
      List<Object> results = new ArrayList<>();
      for (Future<Object> future : futures) {
        results.add(future.get(120, TimeUnit.SECONDS));
        runs.incrementAndGet();
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void refreshesOfOverlappingViewsWhileWritersWriteAndReadersRead(TestDatabase db) throws Exception {
    db.execute("CREATE SCHEMA k", "CREATE TABLE k.t (id serial PRIMARY KEY, v int)",
        "INSERT INTO k.t (v) SELECT g % 10 FROM generate_series(1, 2000) g",
        // a: concurrently (unique index); b: plain (none, and c reads it); c and d: swapped or concurrent.
        "CREATE MATERIALIZED VIEW k.a AS SELECT v, count(*) AS n FROM k.t GROUP BY v", "CREATE UNIQUE INDEX a_v ON k.a (v)",
        "CREATE MATERIALIZED VIEW k.b AS SELECT v, n * 2 AS twice FROM k.a",
        "CREATE MATERIALIZED VIEW k.c AS SELECT sum(twice) AS total FROM k.b",
        "CREATE MATERIALIZED VIEW k.d AS SELECT id % 100 AS bucket, max(v) AS top FROM k.t GROUP BY 1",
        "CREATE VIEW k.e AS SELECT total FROM k.c");
    Map<String, String> queries = Map.of("k.a", "SELECT v, count(*) AS n FROM k.t GROUP BY v",
        "k.b", "SELECT v, n * 2 AS twice FROM k.a", "k.c", "SELECT sum(twice) AS total FROM k.b",
        "k.d", "SELECT id % 100 AS bucket, max(v) AS top FROM k.t GROUP BY 1");
    AtomicBoolean stop = new AtomicBoolean();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<?>> tasks = new ArrayList<>();
    List<RefreshOptions> refreshes = List.of(
        RefreshOptions.builder().views(QualifiedName.of("k", "a")).includeDownstream(true).build(),
        RefreshOptions.builder().schemas("k").swap(true).parallelism(2).build(),
        RefreshOptions.builder().views(QualifiedName.of("k", "c")).includeUpstream(true).mode(RefreshMode.AUTO).build());
    for (RefreshOptions options : refreshes) {
      tasks.add(pool.submit(() -> {
        while (!stop.get()) {
          try {
            for (RefreshResult result : Refresher.refresh(db.dataSource(), options).results()) {
              if (result.outcome() != RefreshOutcome.REFRESHED) {
                errors.add("refresh: " + result);
              }
            }
          } catch (RuntimeException e) {
            errors.add("refresh: " + e);
          }
          runs.incrementAndGet();
        }
      }));
    }
    tasks.add(pool.submit(() -> loop(db, stop, errors, statement -> statement.execute(
        "INSERT INTO k.t (v) SELECT (random() * 20)::int FROM generate_series(1, 20)"))));
    for (int reader = 0; reader < 2; reader++) {
      tasks.add(pool.submit(() -> loop(db, stop, errors, statement -> {
        for (String view : List.of("k.a", "k.b", "k.c", "k.d", "k.e")) {
          try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + view)) {
            rows.next();
          }
          readerQueries.incrementAndGet();
        }
      })));
    }
    File log = Files.createTempFile("mview-refresh-", ".log").toFile();
    Process child = child(log, "refresh", db.jdbcUrl(), db.user(), Long.toString(MILLIS));
    try {
      assertEquals(0, child.waitFor(), Files.readString(log.toPath()));
    } finally {
      stop.set(true);
      pool.shutdown();
      assertTrue(pool.awaitTermination(120, TimeUnit.SECONDS), "still running: a deadlock?");
      child.destroyForcibly();
    }
    for (Future<?> task : tasks) {
      task.get();
    }
    String output = Files.readString(log.toPath());
    assertTrue(output.matches("(?s).*runs=[1-9][0-9]* failed=0\\b.*"), output);
    runs.addAndGet(Integer.parseInt(output.replaceAll("(?s).*runs=([0-9]+).*", "$1")));
    log.delete();
    assertEquals(List.of(), List.copyOf(errors));

    Refresher.refresh(db.dataSource(), RefreshOptions.builder().schemas("k").build()).throwIfFailed();
    for (Map.Entry<String, String> view : queries.entrySet()) {
      assertEquals(0L, db.<Long>value("SELECT count(*) FROM ((TABLE " + view.getKey() + " EXCEPT " + view.getValue()
          + ") UNION ALL (" + view.getValue() + " EXCEPT TABLE " + view.getKey() + ")) x"), view.getKey() + " is stale");
    }
    assertEquals(List.of(), Reliability.leftovers(db));
  }

  /** A second JVM running {@link CrashChild} with {@code args} (JVM options first), its output in {@code log}. */
  private static Process child(File log, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path")));
    int options = 0;
    while (options < args.length && args[options].startsWith("-D")) {
      command.add(args[options++]);
    }
    command.add(CrashChild.class.getName());
    command.addAll(List.of(args).subList(options, args.length));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
  }

  private interface Work {
    void run(Statement statement) throws Exception;
  }

  private static void loop(TestDatabase db, AtomicBoolean stop, ConcurrentLinkedQueue<String> errors, Work work) {
    try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
      while (!stop.get()) {
        try {
          work.run(statement);
        } catch (Exception e) {
          errors.add(e.toString());
        }
      }
    } catch (Exception e) {
      errors.add(e.toString());
    }
  }

  @Test
  void planningAndRefreshingWhileAnotherSessionCreatesAndDropsViews(TestDatabase db) throws Exception {
    db.execute("CREATE SCHEMA ch", "CREATE TABLE ch.t (id int PRIMARY KEY)", "INSERT INTO ch.t SELECT generate_series(1, 50)",
        "CREATE MATERIALIZED VIEW ch.base AS SELECT id FROM ch.t", "CREATE UNIQUE INDEX base_id ON ch.base (id)");
    AtomicBoolean stop = new AtomicBoolean();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    ExecutorService churn = Executors.newSingleThreadExecutor();
    Future<?> ddl = churn.submit(() -> loop(db, stop, errors, statement -> statement.execute(
        "CREATE MATERIALIZED VIEW ch.churn AS SELECT id FROM ch.base; CREATE VIEW ch.churn_reader AS SELECT id FROM ch.churn;"
            + " DROP VIEW ch.churn_reader; DROP MATERIALIZED VIEW ch.churn")));
    ViewModel model = ViewModel.of(ViewDefinition.materializedView("ch.base", "SELECT id FROM ch.t")
        .index(IndexDefinition.unique("id").withName("base_id")).build());
    int changed = 0;
    long end = System.nanoTime() + MILLIS * 1_000_000;
    try (Connection connection = db.connect()) {
      for (int i = 0; System.nanoTime() < end; i++) {
        try {
          switch (i % 3) {
            case 0 -> assertTrue(Reconciler.plan(connection, model).isEmpty());
            case 1 -> Refresher.plan(connection, RefreshOptions.builder().schemas("ch").build());
            default -> {
              for (RefreshResult result : Refresher.refresh(db.dataSource(), RefreshOptions.builder()
                  .views(QualifiedName.of("ch", "base")).includeDownstream(true).build()).results()) {
                // The churned view may be dropped between the plan and its turn; the base view never fails.
                if (result.view().name().equals("base") && result.outcome() != RefreshOutcome.REFRESHED) {
                  errors.add(result.toString());
                }
              }
            }
          }
        } catch (MviewException e) {
          // The one error allowed: the catalog changed while planning, which a retry resolves.
          if (e.kind() != MviewException.Kind.CATALOG_CHANGED) {
            errors.add(e.toString());
          }
          changed++;
        } catch (RuntimeException e) {
          errors.add(e.toString());
        }
        runs.incrementAndGet();
      }
    } finally {
      stop.set(true);
      churn.shutdown();
    }
    ddl.get();
    assertEquals(List.of(), List.copyOf(errors));
    try (Connection connection = db.connect()) {
      assertTrue(Reconciler.plan(connection, model).isEmpty());
    }
    retried += changed;
  }
}
