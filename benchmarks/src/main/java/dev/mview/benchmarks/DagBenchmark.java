package dev.mview.benchmarks;

import static dev.mview.benchmarks.Figures.median;
import static dev.mview.benchmarks.Figures.percent;
import static dev.mview.benchmarks.Figures.ratio;
import static dev.mview.benchmarks.Figures.seconds;
import static dev.mview.benchmarks.Figures.spread;

import dev.mview.model.QualifiedName;
import dev.mview.refresh.RefreshMode;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.RefreshPlan;
import dev.mview.refresh.RefreshReport;
import dev.mview.refresh.Refresher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.sql.DataSource;

/**
 * One DAG of materialized views (all those of one schema), refreshed in rounds by a
 * {@code refresh_all} loop on one connection and by the runner in several modes, each measured
 * against the bound on wall time: the larger of the critical path (per-view times of the
 * one-connection loop, each view refreshed alone with PostgreSQL's parallel query) and the least
 * CPU time the server spent on one refresh of the DAG divided by the cores. Medians over the
 * rounds; the runner is told each view's duration from a warm-up run, as a refresh history would.
 */
final class DagBenchmark {
  /** How the runner is told what each view costs. */
  enum Estimates {
    /** Each view's duration from a one-connection run before the rounds, as a refresh history gives it. */
    HISTORY,
    /** None: the runner estimates each view from the catalog. */
    CATALOG,
    /** Zero for every view: every path ties, so ready views start in plan order, as before. */
    PLAN_ORDER
  }

  /**
   * A way of running the runner.
   *
   * @param key the figure name after the prefix, {@code runner.<suffix>}
   * @param serverCores what the runner is told the server has; null for this machine's cores
   */
  record Mode(String key, String label, int connections, Estimates estimates, Integer serverCores) {
    String suffix() {
      return key.substring("runner.".length());
    }
  }

  /** One timed run: wall time as reported, the whole call's elapsed time, and CPU time over the call. */
  private record Run(double wall, double elapsed, CpuMeter.Sample cpu) {}

  private final DataSource dataSource;
  private final CpuMeter meter;
  private final Figures figures;
  private final String prefix;
  private final String schema;
  private final int cores = Runtime.getRuntime().availableProcessors();

  DagBenchmark(DataSource dataSource, CpuMeter meter, Figures figures, String prefix, String schema) {
    this.dataSource = dataSource;
    this.meter = meter;
    this.figures = figures;
    this.prefix = prefix;
    this.schema = schema;
  }

  /** Creates the schema and {@code views} ({name, query}, upstream first), then analyzes. */
  void create(String[][] views) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      execute(connection, "CREATE SCHEMA IF NOT EXISTS " + schema);
      for (String[] view : views) {
        execute(connection, "CREATE MATERIALIZED VIEW " + schema + "." + view[0] + " AS " + view[1]);
      }
      execute(connection, "VACUUM ANALYZE");
    }
  }

  /**
   * Fails unless PostgreSQL plans each of {@code views} without parallel workers: the DAGs that
   * stand for work PostgreSQL cannot spread over cores must really be such.
   */
  void requireSerialPlans(String... views) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement definition = connection.prepareStatement(
            "SELECT definition FROM pg_matviews WHERE schemaname = ? AND matviewname = ?")) {
      for (String view : views) {
        definition.setString(1, schema);
        definition.setString(2, view);
        String query;
        try (ResultSet rs = definition.executeQuery()) {
          rs.next();
          query = rs.getString(1);
        }
        StringBuilder plan = new StringBuilder();
        try (Statement statement = connection.createStatement();
            ResultSet rs = statement.executeQuery("EXPLAIN " + query.replaceAll(";\\s*$", ""))) {
          while (rs.next()) {
            plan.append(rs.getString(1)).append('\n');
          }
        }
        if (plan.toString().contains("Gather")) {
          throw new IllegalStateException(schema + "." + view + " is planned with parallel workers:\n" + plan);
        }
      }
    }
  }

  /**
   * Runs the rounds and records the figures and table rows; returns the wall times of each run by
   * figure key ({@code sequential} for the loop), in round order.
   */
  Map<String, List<Double>> run(String title, int rounds, List<Mode> modes) throws Exception {
    Map<QualifiedName, Duration> history = new LinkedHashMap<>();
    history(history);
    List<Double> criticalPaths = new ArrayList<>();
    List<Double> totals = new ArrayList<>();
    Map<String, List<Run>> runs = new LinkedHashMap<>();
    runs.put("sequential", new ArrayList<>());
    modes.forEach(mode -> runs.put(mode.key(), new ArrayList<>()));
    for (int round = 0; round < rounds; round++) {
      runs.get("sequential").add(timed(() -> refreshAllLoop(false, criticalPaths, totals)));
      for (Mode mode : modes) {
        runs.get(mode.key()).add(timed(() -> runner(mode, history)));
      }
    }
    double criticalPath = median(criticalPaths);
    figures.put(prefix + ".total_work_s", seconds(median(totals)));
    figures.put(prefix + ".critical_path_s", seconds(criticalPath));
    double work = runs.values().stream().mapToDouble(list -> median(list.stream().map(run -> run.cpu().server())
        .toList())).min().orElseThrow();
    double bound = Math.max(criticalPath, work / cores);
    figures.put(prefix + ".server_cpu_least_s", seconds(work));
    figures.put(prefix + ".bound_s", seconds(bound));
    figures.put(prefix + ".bound_is", criticalPath >= work / cores ? "critical_path" : "server_cpu_over_cores");
    List<Run> sequential = runs.get("sequential");
    double seq = median(walls(sequential));
    figures.put(prefix + ".sequential_s", seconds(seq));
    figures.put(prefix + ".sequential_over_bound", ratio(seq / bound));
    figures.put(prefix + ".server_cpu.sequential_s", seconds(medianCpu(sequential)));
    figures.put(prefix + ".cpu_utilisation.sequential", ratio(utilisation(sequential)));
    figures.row(title + ": sequential loop", seconds(seq) + " s", "1.00", ratio(seq / bound),
        percent(utilisation(sequential)));
    figures.row("  bound: max(critical path " + seconds(criticalPath) + " s, server CPU " + seconds(work) + " s / "
        + cores + ")", seconds(bound) + " s", "", "1.00");
    for (Mode mode : modes) {
      List<Run> list = runs.get(mode.key());
      double wall = median(walls(list));
      String suffix = mode.suffix();
      figures.put(prefix + "." + mode.key() + "_s", seconds(wall));
      figures.put(prefix + ".speedup." + suffix, ratio(seq / wall));
      figures.put(prefix + ".runner_over_bound." + suffix, ratio(wall / bound));
      figures.put(prefix + ".runner_over_bound." + suffix + ".spread",
          spread(walls(list).stream().map(value -> value / bound).toList()));
      figures.put(prefix + ".server_cpu.runner." + suffix + "_s", seconds(medianCpu(list)));
      figures.put(prefix + ".cpu_utilisation.runner." + suffix, ratio(utilisation(list)));
      figures.row("  " + mode.label(), seconds(wall) + " s", ratio(seq / wall), ratio(wall / bound),
          percent(utilisation(list)));
    }
    List<Double> otherLoad = new ArrayList<>();
    runs.values().forEach(list -> list.forEach(run -> otherLoad.add(
        (run.cpu().machine() - run.cpu().server()) / run.elapsed())));
    figures.put(prefix + ".other_load_cores", ratio(median(otherLoad)));
    Map<String, List<Double>> walls = new LinkedHashMap<>();
    runs.forEach((key, list) -> walls.put(key, walls(list)));
    return walls;
  }

  /**
   * Refreshes every view once through the runner on one connection, as a warm-up and for what a
   * refresh history would hold: each view's duration goes into {@code into}.
   */
  private void history(Map<QualifiedName, Duration> into) {
    RefreshReport report = Refresher.refresh(dataSource, options(1).build()).throwIfFailed();
    report.results().forEach(result -> into.put(result.view(), result.duration()));
    figures.put(prefix + ".views", report.results().size());
  }

  /**
   * Whether a view on the critical path would gain from having every core while the others wait,
   * rather than running side by side with them (where the runner caps its parallel workers): the
   * critical path with each view refreshed without parallel workers, against the bound. When it is
   * longer than the bound, the serial critical path is what side-by-side running is held to, and
   * giving its views the cores would pay; when it is within the bound, running side by side loses
   * nothing.
   */
  void serialCriticalPath(int rounds) throws Exception {
    List<Double> criticalPaths = new ArrayList<>();
    List<Double> totals = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      refreshAllLoop(true, criticalPaths, totals);
    }
    double serial = median(criticalPaths);
    double bound = Double.parseDouble(figures.get(prefix + ".bound_s"));
    figures.put(prefix + ".critical_path_serial_s", seconds(serial));
    figures.put(prefix + ".total_work_serial_s", seconds(median(totals)));
    figures.put(prefix + ".critical_path_serial_over_bound", ratio(serial / bound));
    figures.row("  critical path, each view without parallel workers", seconds(serial) + " s", "",
        ratio(serial / bound));
  }

  private RefreshOptions.Builder options(int connections) {
    return RefreshOptions.builder().schemas(schema).mode(RefreshMode.PLAIN).parallelism(connections);
  }

  private double runner(Mode mode, Map<QualifiedName, Duration> history) {
    RefreshOptions.Builder options = options(mode.connections());
    if (mode.serverCores() != null) {
      options.serverCores(mode.serverCores());
    }
    if (mode.estimates() == Estimates.HISTORY) {
      options.expectedDurations(history);
    } else if (mode.estimates() == Estimates.PLAN_ORDER) {
      history.keySet().forEach(view -> options.expectedDurations(Map.of(view, Duration.ZERO)));
    }
    RefreshReport report = Refresher.refresh(dataSource, options.build()).throwIfFailed();
    String workers = prefix + ".workers_per_gather.2conn";
    if (mode.connections() == 2 && mode.serverCores() == null && report.workersPerGather().isPresent()
        && figures.get(workers).isEmpty()) {
      figures.put(workers, report.workersPerGather().getAsInt());
    }
    return report.wallTime().toNanos() / 1e9;
  }

  /**
   * The seeds' {@code refresh_all}: every view, one after the other, in dependency order, one
   * connection, PostgreSQL's own parallel query left alone unless {@code serial}. Adds the round's critical path (the
   * longest chain of its per-view times along the dependencies) and the sum of its per-view times.
   */
  private double refreshAllLoop(boolean serial, List<Double> criticalPaths, List<Double> totals) throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      if (serial) {
        execute(connection, "SET max_parallel_workers_per_gather = 0");
      }
      RefreshPlan plan = Refresher.plan(connection, options(1).build());
      Map<QualifiedName, Double> finish = new LinkedHashMap<>();
      double total = 0;
      long start = System.nanoTime();
      for (var entry : plan.entries()) {
        long viewStart = System.nanoTime();
        execute(connection, entry.statements().get(0));
        double own = (System.nanoTime() - viewStart) / 1e9;
        finish.put(entry.view(), entry.after().stream().mapToDouble(finish::get).max().orElse(0) + own);
        total += own;
      }
      double wall = (System.nanoTime() - start) / 1e9;
      criticalPaths.add(finish.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow());
      totals.add(total);
      return wall;
    }
  }

  /**
   * Runs {@code work} between two CPU samples. The second waits a moment so that the backends the
   * run closed have exited and been reaped, and their time is the postmaster's.
   */
  private Run timed(Callable<Double> work) throws Exception {
    CpuMeter.Sample before = meter.sample();
    long start = System.nanoTime();
    double wall = work.call();
    double elapsed = (System.nanoTime() - start) / 1e9;
    Thread.sleep(300);
    return new Run(wall, elapsed, meter.sample().minus(before));
  }

  private static List<Double> walls(List<Run> runs) {
    return runs.stream().map(Run::wall).toList();
  }

  private static double medianCpu(List<Run> runs) {
    return median(runs.stream().map(run -> run.cpu().server()).toList());
  }

  /** Server CPU time over what the cores could have given in the same time, median of the runs. */
  private double utilisation(List<Run> runs) {
    return median(runs.stream().map(run -> run.cpu().server() / (run.elapsed() * cores)).toList());
  }

  static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
