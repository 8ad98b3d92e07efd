package dev.mview.benchmarks;

import static dev.mview.benchmarks.Figures.fraction;
import static dev.mview.benchmarks.Figures.median;
import static dev.mview.benchmarks.Figures.millis;
import static dev.mview.benchmarks.Figures.ratio;
import static dev.mview.benchmarks.Figures.seconds;
import static dev.mview.benchmarks.Jdbc.execute;
import static dev.mview.benchmarks.Jdbc.value;

import dev.mview.benchmarks.Reader.Reading;
import dev.mview.model.QualifiedName;
import dev.mview.refresh.RefreshMode;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.RefreshPlan;
import dev.mview.refresh.RefreshReport;
import dev.mview.refresh.RefreshStrategy;
import dev.mview.refresh.Refresher;
import dev.mview.sql.Identifiers;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Measures the refresh engine on an embedded PostgreSQL it starts itself and prints one
 * {@code name=value} line per figure, then a short table. Figures are ratios measured in the same
 * run, so they compare like with like on whatever machine runs it. Sections (all by default, or
 * those named as arguments):
 *
 * <ol>
 *   <li>{@code dag}, {@code dag_serial}, {@code dag_ordered}: three DAGs of materialized views
 *       ({@link Dags}) refreshed one by one on one connection (a {@code refresh_all} loop) and by
 *       the runner on 2 and 4 connections, each against the bound on wall time that the DAG and the
 *       machine allow ({@link DagBenchmark}), with the server's CPU utilisation;
 *   <li>{@code wait}: views whose cost is {@code pg_sleep}, runner wall time against the critical
 *       path (the physical limit) and against a level-by-level runner;
 *   <li>{@code stall}: the longest read of a reader polling a 1M-row view during a plain,
 *       concurrent and swap refresh;
 *   <li>{@code online}: the longest read of readers of a redefined root, in place and online, and of
 *       a swap-refreshed view read by others ({@link OnlineChangeBenchmark});
 *   <li>{@code plan}: time and catalog queries to plan a refresh of 1,000 views.
 * </ol>
 *
 * <p>A new section is a method here (or a class beside {@link DagBenchmark}) that records its
 * figures and table rows in the shared {@link Figures}, and a line in {@link #main}.
 */
public final class RefreshBenchmark {
  /** Held so the level set below is not garbage-collected with the logger. */
  private static final Logger REFRESH_LOG = Logger.getLogger("dev.mview.refresh");
  private static final int ROWS = 1_000_000;
  private static final int ROUNDS = 7;
  private static final List<String> SECTIONS = List.of("dag", "dag_serial", "dag_ordered", "wait", "stall", "online", "plan");

  private final Figures figures;
  private final DataSource dataSource;

  private RefreshBenchmark(DataSource dataSource, Figures figures) {
    this.dataSource = dataSource;
    this.figures = figures;
  }

  public static void main(String[] args) throws Exception {
    List<String> sections = args.length == 0 ? SECTIONS : List.of(args);
    for (String section : sections) {
      if (!SECTIONS.contains(section)) {
        throw new IllegalArgumentException("no section " + section + "; the sections are " + SECTIONS);
      }
    }
    REFRESH_LOG.setLevel(Level.WARNING); // the engine logs every view at INFO
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
        .setServerConfig("shared_buffers", "256MB")
        .setServerConfig("max_wal_size", "4GB")
        .setServerConfig("checkpoint_timeout", "30min")
        .setServerConfig("work_mem", "32MB")
        // the server's CPU time is then the benchmark's own work; each setup analyzes what it made
        .setServerConfig("autovacuum", "off")
        .start()) {
      Figures figures = new Figures();
      RefreshBenchmark benchmark = new RefreshBenchmark(postgres.getPostgresDatabase(), figures);
      benchmark.machine();
      if (sections.stream().anyMatch(section -> section.startsWith("dag"))) {
        benchmark.dags(sections);
      }
      if (sections.contains("wait")) {
        benchmark.waitBoundDag();
      }
      if (sections.contains("stall")) {
        benchmark.readerStall();
      }
      if (sections.contains("online")) {
        new OnlineChangeBenchmark(postgres.getPostgresDatabase(), figures).run();
      }
      if (sections.contains("plan")) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
          execute(connection, "CREATE DATABASE plan1k");
        }
        new RefreshBenchmark(postgres.getDatabase("postgres", "plan1k"), figures).planningCost();
      }
      figures.put("machine.loadavg_at_end", loadAverage());
      figures.printTable("(ratio: DAGs sequential / runner, wait-bound wall / critical path, stall and online"
          + " longest read / refresh or change time; /bound: wall over the bound on wall time; cpu: server CPU /"
          + " (wall x cores))");
    }
  }

  // ---- machine -------------------------------------------------------------------------------

  private void machine() throws Exception {
    put("machine.cores", Runtime.getRuntime().availableProcessors());
    put("machine.cpu", cpuModel());
    put("machine.memory_gb", String.format(Locale.ROOT, "%.1f", memoryGb()));
    put("machine.java", System.getProperty("java.version"));
    put("machine.loadavg_at_start", loadAverage());
    try (Connection connection = dataSource.getConnection()) {
      put("machine.postgres", value(connection, "SHOW server_version"));
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
    } catch (Exception e) {
      return System.getProperty("os.arch");
    }
  }

  /** Other work on the machine skews every figure; the 1-minute load average says how much there was. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "unknown";
    }
  }

  private static double memoryGb() {
    try {
      String total = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("[^0-9]", "");
      return Long.parseLong(total) / 1024.0 / 1024.0;
    } catch (Exception e) {
      return Runtime.getRuntime().maxMemory() / 1024.0 / 1024.0 / 1024.0;
    }
  }

  // ---- 1. DAGs against the bound -------------------------------------------------------------

  private void dags(List<String> sections) throws Exception {
    CpuMeter meter;
    try (Connection connection = dataSource.getConnection()) {
      for (String statement : Dags.facts(ROWS)) {
        execute(connection, statement);
      }
      meter = CpuMeter.of(connection);
    }
    put("dag.rows", ROWS);
    int cores = Runtime.getRuntime().availableProcessors();
    if (cores != 2) {
      put("dag.note", "speedups depend on the core count (" + cores + " here)");
    }
    DagBenchmark.Mode two = new DagBenchmark.Mode("runner.2conn", "runner, 2 connections", 2,
        DagBenchmark.Estimates.HISTORY, null);
    DagBenchmark.Mode four = new DagBenchmark.Mode("runner.4conn", "runner, 4 connections", 4,
        DagBenchmark.Estimates.HISTORY, null);
    if (sections.contains("dag")) {
      DagBenchmark dag = new DagBenchmark(dataSource, meter, figures, "dag", "dag");
      dag.create(Dags.MIXED);
      put("dag.levels", 4);
      // serverCores chosen so the cap equals PostgreSQL's default of 2 workers: no cap in effect
      dag.run("DAG, 20 MVs / 4 levels / 1M rows", ROUNDS, List.of(two, four, new DagBenchmark.Mode(
          "runner.2conn_uncapped", "runner, 2 connections, parallel workers not capped", 2,
          DagBenchmark.Estimates.HISTORY, 6)), true);
    }
    if (sections.contains("dag_serial")) {
      DagBenchmark serial = new DagBenchmark(dataSource, meter, figures, "dag_nonparallel", "dag_serial");
      serial.create(Dags.SERIAL);
      serial.requireSerialPlans(Dags.names(Dags.SERIAL));
      serial.run("Serial DAG, 16 MVs / 400k rows", ROUNDS, List.of(two, four), false);
    }
    if (sections.contains("dag_ordered")) {
      DagBenchmark ordered = new DagBenchmark(dataSource, meter, figures, "dag_ordered", "dag_ordered");
      ordered.create(Dags.ordered());
      ordered.requireSerialPlans(Dags.CHAIN);
      Map<String, List<Double>> walls = ordered.run("Ordered DAG, 6-MV chain beside 16 short MVs", ROUNDS,
          List.of(two, four,
              new DagBenchmark.Mode("runner.2conn_catalog", "runner, 2 connections, catalog estimates only", 2,
                  DagBenchmark.Estimates.CATALOG, null),
              new DagBenchmark.Mode("runner.2conn_plan_order", "runner, 2 connections, plan order (as before)", 2,
                  DagBenchmark.Estimates.PLAN_ORDER, null)), false);
      List<Double> planOrder = walls.get("runner.2conn_plan_order");
      List<Double> longest = walls.get("runner.2conn");
      List<Double> gains = new ArrayList<>();
      for (int i = 0; i < planOrder.size(); i++) {
        gains.add(planOrder.get(i) / longest.get(i));
      }
      put("dag_ordered.longest_path_gain", Figures.ratio(Figures.median(planOrder) / Figures.median(longest)));
      put("dag_ordered.longest_path_gain.spread", Figures.spread(gains));
      figures.row("  longest path first: plan order wall / its wall", "", figures.get("dag_ordered.longest_path_gain"));
    }
  }

  // ---- 2. wait-bound DAG -----------------------------------------------------------------------

  /** name, seconds of pg_sleep, views read. */
  private static final Object[][] WAIT_DAG = {
      {"w01", 0.8, new String[] {}}, {"w02", 0.3, new String[] {}}, {"w03", 0.5, new String[] {}},
      {"w04", 0.2, new String[] {}},
      {"w05", 0.3, new String[] {"w01"}}, {"w06", 0.9, new String[] {"w02"}}, {"w07", 0.4, new String[] {"w03", "w04"}},
      {"w08", 0.5, new String[] {"w05", "w06"}}, {"w09", 0.6, new String[] {"w07"}}, {"w10", 0.2, new String[] {"w02"}},
      {"w11", 0.4, new String[] {"w08", "w09"}}, {"w12", 0.3, new String[] {"w10"}},
  };

  private void waitBoundDag() throws Exception {
    Map<String, Double> finish = new LinkedHashMap<>();
    Map<String, Integer> level = new LinkedHashMap<>();
    double sum = 0;
    try (Connection connection = dataSource.getConnection()) {
      execute(connection, "CREATE SCHEMA wait");
      for (Object[] view : WAIT_DAG) {
        String name = (String) view[0];
        double sleep = (Double) view[1];
        String[] reads = (String[]) view[2];
        StringBuilder from = new StringBuilder(" FROM pg_sleep(" + sleep + ")");
        double start = 0;
        int depth = 1;
        for (String read : reads) {
          from.append(", wait.").append(read);
          start = Math.max(start, finish.get(read));
          depth = Math.max(depth, level.get(read) + 1);
        }
        finish.put(name, start + sleep);
        level.put(name, depth);
        sum += sleep;
        execute(connection, "CREATE MATERIALIZED VIEW wait." + name + " AS SELECT 1 AS x" + from + " WITH NO DATA");
      }
    }
    double critical = finish.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    RefreshOptions options = RefreshOptions.builder().schemas("wait").parallelism(4).build();
    List<Double> runner = new ArrayList<>();
    List<Double> levels = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      timedRunner(options, runner);
      levels.add(levelByLevel(level, 4));
    }
    double wall = median(runner);
    put("dag.wait.views", WAIT_DAG.length);
    put("dag.wait.sum_of_sleeps_s", seconds(sum));
    put("dag.wait.critical_path_s", seconds(critical));
    put("dag.wait.runner.4conn_s", seconds(wall));
    put("dag.wait.level_by_level.4conn_s", seconds(median(levels)));
    put("dag.wait.runner_over_critical_path", ratio(wall / critical));
    put("dag.wait.level_by_level_over_critical_path", ratio(median(levels) / critical));
    figures.row("Wait-bound DAG, 12 MVs: critical path", seconds(critical) + " s", "1.00");
    figures.row("  runner, 4 connections", seconds(wall) + " s", ratio(wall / critical));
    figures.row("  level by level, 4 connections", seconds(median(levels)) + " s", ratio(median(levels) / critical));
    figures.row("  sequential (sum of sleeps)", seconds(sum) + " s");
  }

  private void timedRunner(RefreshOptions options, List<Double> times) {
    RefreshReport report = Refresher.refresh(dataSource, options).throwIfFailed();
    times.add(report.wallTime().toNanos() / 1e9);
  }

  /** The naive parallel runner, for comparison: each level on N connections, waiting for the whole level. */
  private double levelByLevel(Map<String, Integer> levels, int connections) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    List<Connection> open = new ArrayList<>();
    try {
      for (int i = 0; i < connections; i++) {
        open.add(dataSource.getConnection());
      }
      java.util.concurrent.BlockingQueue<Connection> free = new java.util.concurrent.LinkedBlockingQueue<>(open);
      int deepest = levels.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
      long start = System.nanoTime();
      for (int depth = 1; depth <= deepest; depth++) {
        List<Future<?>> running = new ArrayList<>();
        for (Map.Entry<String, Integer> view : levels.entrySet()) {
          if (view.getValue() == depth) {
            running.add(pool.submit(() -> {
              Connection connection = free.take();
              try {
                execute(connection, "REFRESH MATERIALIZED VIEW wait." + view.getKey());
              } finally {
                free.add(connection);
              }
              return null;
            }));
          }
        }
        for (Future<?> future : running) {
          future.get();
        }
      }
      return (System.nanoTime() - start) / 1e9;
    } finally {
      pool.shutdown();
      for (Connection connection : open) {
        connection.close();
      }
    }
  }

  // ---- 3. reader stall -------------------------------------------------------------------------

  private void readerStall() throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      execute(connection, "CREATE SCHEMA stall");
      execute(connection, "CREATE TABLE stall.src AS SELECT i AS id, i AS v, md5(i::text) AS h FROM generate_series(1, "
          + ROWS + ") i");
      execute(connection, "CREATE MATERIALIZED VIEW stall.keyed AS SELECT id, v, h FROM stall.src");
      execute(connection, "CREATE UNIQUE INDEX keyed_id ON stall.keyed (id)");
      execute(connection, "CREATE MATERIALIZED VIEW stall.unkeyed AS SELECT id, v, h FROM stall.src");
      execute(connection, "CREATE INDEX unkeyed_id ON stall.unkeyed (id)");
      execute(connection, "VACUUM ANALYZE");
    }
    QualifiedName keyed = QualifiedName.of("stall", "keyed");
    QualifiedName unkeyed = QualifiedName.of("stall", "unkeyed");
    stall("plain", keyed, RefreshOptions.builder().views(keyed).mode(RefreshMode.PLAIN).build(), RefreshStrategy.PLAIN);
    stall("concurrent", keyed, RefreshOptions.builder().views(keyed).build(), RefreshStrategy.CONCURRENTLY);
    stall("swap", unkeyed, RefreshOptions.builder().views(unkeyed).swap(true).build(), RefreshStrategy.SWAP);
    figures.row("Reader stall, 1M-row MV: plain refresh", figures.get("stall.plain.longest_read_ms") + " ms",
        figures.get("stall.plain.longest_read_over_refresh"));
    figures.row("  concurrent refresh", figures.get("stall.concurrent.longest_read_ms") + " ms",
        figures.get("stall.concurrent.longest_read_over_refresh"));
    figures.row("  swap refresh", figures.get("stall.swap.longest_read_ms") + " ms",
        figures.get("stall.swap.longest_read_over_refresh"));
  }

  /**
   * A reader looks up a random row every 5 ms from before the refresh until after it; the longest
   * of its reads is how long the refresh held readers up.
   */
  private void stall(String name, QualifiedName view, RefreshOptions options, RefreshStrategy expected) throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      execute(connection, "UPDATE stall.src SET v = v + 1 WHERE id % 100 = 0"); // 1% of rows change
    }
    Reading reading = Reader.readWhile(dataSource, "SELECT v FROM " + Identifiers.quote(view) + " WHERE id = ?", ROWS, 5,
        () -> {
          try (Connection connection = dataSource.getConnection()) {
            RefreshReport report = Refresher.refresh(connection, options).throwIfFailed();
            if (report.results().get(0).strategy() != expected) {
              throw new IllegalStateException(name + ": expected " + expected + " but got " + report.results().get(0));
            }
            return report.wallTime().toNanos() / 1e9;
          }
        });
    put("stall." + name + ".refresh_s", seconds(reading.wall()));
    put("stall." + name + ".longest_read_ms", millis(reading.longest()));
    put("stall." + name + ".median_read_ms", millis(reading.median()));
    put("stall." + name + ".reads", reading.reads());
    put("stall." + name + ".longest_read_over_refresh", fraction(reading.longestOverWall()));
  }

  // ---- 4. planning cost ------------------------------------------------------------------------

  private void planningCost() throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      execute(connection, "CREATE SCHEMA p");
      execute(connection, "CREATE TABLE p.t (id int PRIMARY KEY, v int)");
      execute(connection, "INSERT INTO p.t SELECT i, i FROM generate_series(1, 100) i");
      // 1,000 views: 100 on the table, each of the others on one of those (a tree two levels deep
      // under each root), every other one with a unique index.
      execute(connection, """
          DO $$ BEGIN
            FOR i IN 0..999 LOOP
              EXECUTE format('CREATE MATERIALIZED VIEW p.mv_%s AS SELECT id, v FROM %s', lpad(i::text, 4, '0'),
                CASE WHEN i < 100 THEN 'p.t' ELSE 'p.mv_' || lpad((i / 10)::text, 4, '0') END);
              IF i % 2 = 0 THEN
                EXECUTE format('CREATE UNIQUE INDEX ON p.mv_%s (id)', lpad(i::text, 4, '0'));
              END IF;
            END LOOP;
          END $$""");
      execute(connection, "VACUUM ANALYZE");
    }
    RefreshOptions options = RefreshOptions.builder().schemas("p").build();
    List<Double> times = new ArrayList<>();
    int queries = 0;
    int planned = 0;
    for (int round = 0; round < 6; round++) {
      try (Connection connection = dataSource.getConnection()) {
        QueryCounter counter = new QueryCounter();
        Connection counted = counter.wrap(connection);
        long start = System.nanoTime();
        RefreshPlan plan = Refresher.plan(counted, options);
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (round > 0) { // the first round warms up the JIT and the server's caches
          times.add(elapsed);
        }
        queries = counter.count();
        planned = plan.size();
      }
    }
    put("plan.views", planned);
    put("plan.time_ms", millis(median(times)));
    put("plan.catalog_queries", queries);
    figures.row("Planning 1,000 views", millis(median(times)) + " ms", queries + " queries");
  }

  // ---- output ----------------------------------------------------------------------------------

  private void put(String name, Object value) {
    figures.put(name, value);
  }
}
