package dev.mview.benchmarks;

import dev.mview.model.QualifiedName;
import dev.mview.refresh.RefreshMode;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.RefreshPlan;
import dev.mview.refresh.RefreshReport;
import dev.mview.refresh.RefreshStrategy;
import dev.mview.refresh.Refresher;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Measures the refresh engine on an embedded PostgreSQL it starts itself and prints one
 * {@code name=value} line per figure, then a short table. Figures are ratios measured in the same
 * run, so they compare like with like on whatever machine runs it.
 *
 * <ol>
 *   <li>DAG refresh: 20 materialized views in four levels over a 1M-row table, refreshed one by one
 *       on one connection (a {@code refresh_all} loop) and by the runner on 2 and 4 connections;
 *   <li>wait-bound DAG: views whose cost is {@code pg_sleep}, runner wall time against the critical
 *       path (the physical limit) and against a level-by-level runner;
 *   <li>reader stall: the longest read of a reader polling a 1M-row view during a plain, concurrent
 *       and swap refresh;
 *   <li>planning cost: time and catalog queries to plan a refresh of 1,000 views.
 * </ol>
 */
public final class RefreshBenchmark {
  /** Held so the level set below is not garbage-collected with the logger. */
  private static final Logger REFRESH_LOG = Logger.getLogger("dev.mview.refresh");
  private static final int ROWS = 1_000_000;
  private static final int ROUNDS = 5;

  private final Map<String, String> figures = new LinkedHashMap<>();
  private final DataSource dataSource;

  private RefreshBenchmark(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public static void main(String[] args) throws Exception {
    REFRESH_LOG.setLevel(Level.WARNING); // the engine logs every view at INFO
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
        .setServerConfig("shared_buffers", "256MB")
        .setServerConfig("max_wal_size", "4GB")
        .setServerConfig("checkpoint_timeout", "30min")
        .setServerConfig("work_mem", "32MB")
        .start()) {
      RefreshBenchmark benchmark = new RefreshBenchmark(postgres.getPostgresDatabase());
      benchmark.machine();
      benchmark.dagRefresh();
      benchmark.waitBoundDag();
      benchmark.readerStall();
      try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
        execute(connection, "CREATE DATABASE plan1k");
      }
      new RefreshBenchmark(postgres.getDatabase("postgres", "plan1k")).planningCost(benchmark.figures);
      benchmark.table();
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

  // ---- 1. DAG refresh --------------------------------------------------------------------------

  /** 8 + 6 + 4 + 2 views; those marked with a join on dag.facts cost a scan of the 1M rows. */
  private static final String[][] DAG = {
      {"l1_0", "SELECT k1, sum(amount) AS s, count(*) AS n FROM dag.facts GROUP BY k1"},
      {"l1_1", "SELECT k2, sum(amount) AS s, count(*) AS n FROM dag.facts GROUP BY k2"},
      {"l1_2", "SELECT k3, sum(amount) AS s, count(*) AS n FROM dag.facts GROUP BY k3"},
      {"l1_3", "SELECT cat, sum(amount) AS s, count(*) AS n FROM dag.facts GROUP BY cat"},
      {"l1_4", "SELECT k1, k2, sum(amount) AS s FROM dag.facts GROUP BY k1, k2"},
      {"l1_5", "SELECT k3, cat, sum(amount) AS s FROM dag.facts GROUP BY k3, cat"},
      {"l1_6", "SELECT id / 100 AS bucket, sum(amount) AS s FROM dag.facts GROUP BY 1"},
      {"l1_7", "SELECT k1, avg(amount) AS a, max(amount) AS m FROM dag.facts GROUP BY k1"},
      {"l2_0", "SELECT f.k2, sum(f.amount * a.n) AS s FROM dag.facts f JOIN dag.l1_0 a USING (k1) GROUP BY f.k2"},
      {"l2_1", "SELECT f.cat, sum(f.amount) / max(b.s) AS s FROM dag.facts f JOIN dag.l1_1 b USING (k2) GROUP BY f.cat"},
      {"l2_2", "SELECT c.k3, c.s, d.s AS total FROM dag.l1_2 c CROSS JOIN (SELECT sum(s) AS s FROM dag.l1_3) d"},
      {"l2_3", "SELECT k1, sum(s) AS s FROM dag.l1_4 GROUP BY k1"},
      {"l2_4", "SELECT f.k3, count(*) AS n, sum(e.s) AS s FROM dag.facts f JOIN dag.l1_5 e ON e.k3 = f.k3 AND e.cat = f.cat GROUP BY f.k3"},
      {"l2_5", "SELECT g.bucket % 1000 AS k1, sum(g.s) AS s, max(h.a) AS a FROM dag.l1_6 g JOIN dag.l1_7 h ON h.k1 = g.bucket % 1000 GROUP BY 1"},
      {"l3_0", "SELECT a.k2, a.s, b.s AS cat_share FROM dag.l2_0 a CROSS JOIN (SELECT max(s) AS s FROM dag.l2_1) b"},
      {"l3_1", "SELECT f.cat, sum(f.amount * c.s / c.total) AS s FROM dag.facts f JOIN dag.l2_2 c USING (k3) GROUP BY f.cat"},
      {"l3_2", "SELECT c.k1, c.s, (SELECT sum(n) FROM dag.l2_4) AS n FROM dag.l2_3 c"},
      {"l3_3", "SELECT f.k2, sum(f.amount * d.a) AS s FROM dag.facts f JOIN dag.l2_5 d USING (k1) GROUP BY f.k2"},
      {"l4_0", "SELECT a.k2, a.s + coalesce(b.s, 0) AS s FROM dag.l3_0 a LEFT JOIN dag.l3_1 b ON b.cat = a.k2 % 13"},
      {"l4_1", "SELECT f.k1, sum(f.amount) * max(c.s) + max(d.s) AS s FROM dag.facts f JOIN dag.l3_2 c USING (k1)"
          + " JOIN dag.l3_3 d USING (k2) GROUP BY f.k1"},
  };

  private void dagRefresh() throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      execute(connection, "CREATE SCHEMA dag");
      execute(connection, "CREATE TABLE dag.facts AS SELECT i AS id, i % 1000 AS k1, i % 97 AS k2, i % 10007 AS k3,"
          + " i % 13 AS cat, ((i::bigint * 7919) % 10000) / 100.0 AS amount FROM generate_series(1, " + ROWS + ") i");
      execute(connection, "ANALYZE dag.facts");
      for (String[] view : DAG) {
        execute(connection, "CREATE MATERIALIZED VIEW dag." + view[0] + " AS " + view[1]);
      }
      execute(connection, "VACUUM ANALYZE");
    }
    put("dag.views", DAG.length);
    put("dag.levels", 4);
    put("dag.rows", ROWS);
    RefreshOptions plain = RefreshOptions.builder().schemas("dag").mode(RefreshMode.PLAIN).build();
    List<Double> sequential = new ArrayList<>();
    List<Double> two = new ArrayList<>();
    List<Double> four = new ArrayList<>();
    List<Double> uncapped = new ArrayList<>();
    int workers = -1;
    int cores = Runtime.getRuntime().availableProcessors();
    for (int round = 0; round < ROUNDS; round++) {
      sequential.add(refreshAllLoop("dag"));
      RefreshReport report2 = timedRunner(plain.toBuilder().parallelism(2).build(), two);
      workers = report2.workersPerGather().orElse(-1);
      timedRunner(plain.toBuilder().parallelism(4).build(), four);
      // serverCores chosen so the cap equals PostgreSQL's default of 2 workers: no cap in effect
      timedRunner(plain.toBuilder().parallelism(2).serverCores(6).build(), uncapped);
    }
    criticalPath(plain);
    double seq = median(sequential);
    put("dag.sequential_s", seconds(seq));
    put("dag.runner.2conn_s", seconds(median(two)));
    put("dag.runner.4conn_s", seconds(median(four)));
    put("dag.speedup.2conn", ratio(seq / median(two)));
    put("dag.speedup.4conn", ratio(seq / median(four)));
    put("dag.workers_per_gather.2conn", workers);
    put("dag.runner.2conn_uncapped_s", seconds(median(uncapped)));
    put("dag.speedup.2conn_uncapped", ratio(seq / median(uncapped)));
    if (cores != 2) {
      put("dag.note", "speedups depend on the core count (" + cores + " here)");
    }
  }

  /**
   * The DAG's own limit: per-view times of a one-connection run (PostgreSQL's default parallel
   * query), summed along the longest dependency path, next to the total.
   */
  private void criticalPath(RefreshOptions options) throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      RefreshPlan plan = Refresher.plan(connection, options);
      RefreshReport report = Refresher.refresh(connection, options).throwIfFailed();
      Map<QualifiedName, Double> finish = new LinkedHashMap<>();
      double total = 0;
      for (var entry : plan.entries()) {
        double own = report.result(entry.view()).orElseThrow().duration().toNanos() / 1e9;
        double start = entry.after().stream().mapToDouble(finish::get).max().orElse(0);
        finish.put(entry.view(), start + own);
        total += own;
      }
      put("dag.total_work_s", seconds(total));
      put("dag.critical_path_s", seconds(finish.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow()));
    }
  }

  /** The seeds' {@code refresh_all}: every view, one after the other, in dependency order, one connection. */
  private double refreshAllLoop(String schema) throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      RefreshPlan plan = Refresher.plan(connection, RefreshOptions.builder().schemas(schema).mode(RefreshMode.PLAIN).build());
      long start = System.nanoTime();
      for (var entry : plan.entries()) {
        execute(connection, entry.statements().get(0));
      }
      return (System.nanoTime() - start) / 1e9;
    }
  }

  private RefreshReport timedRunner(RefreshOptions options, List<Double> times) {
    RefreshReport report = Refresher.refresh(dataSource, options).throwIfFailed();
    times.add(report.wallTime().toNanos() / 1e9);
    return report;
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
  }

  /**
   * A reader looks up a random row every 5 ms from before the refresh until after it; the longest
   * of its reads is how long the refresh held readers up.
   */
  private void stall(String name, QualifiedName view, RefreshOptions options, RefreshStrategy expected) throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      execute(connection, "UPDATE stall.src SET v = v + 1 WHERE id % 100 = 0"); // 1% of rows change
    }
    AtomicBoolean stop = new AtomicBoolean();
    List<Long> reads = new ArrayList<>();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Future<?> reader = pool.submit(() -> {
      try (Connection connection = dataSource.getConnection();
          PreparedStatement read = connection.prepareStatement(
              "SELECT v FROM " + view.schema() + "." + view.name() + " WHERE id = ?")) {
        while (!stop.get()) {
          read.setInt(1, ThreadLocalRandom.current().nextInt(1, ROWS + 1));
          long start = System.nanoTime();
          try (ResultSet rs = read.executeQuery()) {
            rs.next();
          }
          reads.add(System.nanoTime() - start);
          Thread.sleep(5);
        }
      }
      return null;
    });
    Thread.sleep(500);
    RefreshReport report;
    try (Connection connection = dataSource.getConnection()) {
      report = Refresher.refresh(connection, options).throwIfFailed();
    }
    Thread.sleep(500);
    stop.set(true);
    reader.get();
    pool.shutdown();
    if (report.results().get(0).strategy() != expected) {
      throw new IllegalStateException(name + ": expected " + expected + " but got " + report.results().get(0));
    }
    double refresh = report.wallTime().toNanos() / 1e9;
    long[] sorted = reads.stream().mapToLong(Long::longValue).sorted().toArray();
    double longest = sorted[sorted.length - 1] / 1e9;
    put("stall." + name + ".refresh_s", seconds(refresh));
    put("stall." + name + ".longest_read_ms", millis(longest));
    put("stall." + name + ".median_read_ms", millis(sorted[sorted.length / 2] / 1e9));
    put("stall." + name + ".reads", sorted.length);
    put("stall." + name + ".longest_read_over_refresh", ratio(longest / refresh));
  }

  // ---- 4. planning cost ------------------------------------------------------------------------

  private void planningCost(Map<String, String> into) throws Exception {
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
    into.put("plan.views", String.valueOf(planned));
    into.put("plan.time_ms", millis(median(times)));
    into.put("plan.catalog_queries", String.valueOf(queries));
    System.out.println("plan.views=" + planned);
    System.out.println("plan.time_ms=" + millis(median(times)));
    System.out.println("plan.catalog_queries=" + queries);
  }

  // ---- output ----------------------------------------------------------------------------------

  private void table() {
    String[][] rows = {
        {"DAG, 20 MVs / 4 levels / 1M rows: sequential loop", figures.get("dag.sequential_s") + " s", "1.00"},
        {"  its critical path (per-view times of one sequential run)", figures.get("dag.critical_path_s") + " s", ""},
        {"  runner, 2 connections", figures.get("dag.runner.2conn_s") + " s", figures.get("dag.speedup.2conn")},
        {"  runner, 4 connections", figures.get("dag.runner.4conn_s") + " s", figures.get("dag.speedup.4conn")},
        {"  runner, 2 connections, parallel workers not capped", figures.get("dag.runner.2conn_uncapped_s") + " s",
            figures.get("dag.speedup.2conn_uncapped")},
        {"Wait-bound DAG, 12 MVs: critical path", figures.get("dag.wait.critical_path_s") + " s", "1.00"},
        {"  runner, 4 connections", figures.get("dag.wait.runner.4conn_s") + " s", figures.get("dag.wait.runner_over_critical_path")},
        {"  level by level, 4 connections", figures.get("dag.wait.level_by_level.4conn_s") + " s",
            figures.get("dag.wait.level_by_level_over_critical_path")},
        {"  sequential (sum of sleeps)", figures.get("dag.wait.sum_of_sleeps_s") + " s", ""},
        {"Reader stall, 1M-row MV: plain refresh", figures.get("stall.plain.longest_read_ms") + " ms",
            figures.get("stall.plain.longest_read_over_refresh")},
        {"  concurrent refresh", figures.get("stall.concurrent.longest_read_ms") + " ms",
            figures.get("stall.concurrent.longest_read_over_refresh")},
        {"  swap refresh", figures.get("stall.swap.longest_read_ms") + " ms", figures.get("stall.swap.longest_read_over_refresh")},
        {"Planning 1,000 views", figures.get("plan.time_ms") + " ms", figures.get("plan.catalog_queries") + " queries"},
    };
    System.out.println();
    System.out.printf(Locale.ROOT, "%-60s %10s %14s%n", "figure", "value", "ratio");
    Arrays.stream(rows).forEach(row -> System.out.printf(Locale.ROOT, "%-60s %10s %14s%n", (Object[]) row));
    System.out.println("(DAG ratio: sequential / runner; wait-bound: wall / critical path;"
        + " stall: longest read / refresh time)");
  }

  private void put(String name, Object value) {
    figures.put(name, String.valueOf(value));
    System.out.println(name + "=" + value);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private static String seconds(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  private static String millis(double seconds) {
    return String.format(Locale.ROOT, "%.1f", seconds * 1000);
  }

  private static String ratio(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static String value(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
