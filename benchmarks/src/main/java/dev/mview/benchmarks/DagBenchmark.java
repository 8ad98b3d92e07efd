package dev.mview.benchmarks;

import static dev.mview.benchmarks.Figures.median;
import static dev.mview.benchmarks.Figures.percent;
import static dev.mview.benchmarks.Figures.ratio;
import static dev.mview.benchmarks.Figures.seconds;
import static dev.mview.benchmarks.Figures.spread;
import static dev.mview.benchmarks.Jdbc.execute;

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
 * one-connection loop, each view refreshed alone, with PostgreSQL's parallel query or, where that
 * was measured too and is faster, without) and the least
 * CPU time the server spent on one refresh of the DAG divided by the cores, taken per round from
 * the runs of that round. Medians over the rounds; the runner is told each view's duration from a
 * warm-up run, as a refresh history would.
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
  private RefreshPlan loopPlan;

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
   * figure key ({@code sequential} for the loop), in round order. With {@code serialLoop}, each
   * round also runs the loop with no parallel workers ({@code sequential_serial}): whether a view
   * refreshed alone gains from having every core, which running side by side (capped) gives up.
   */
  Map<String, List<Double>> run(String title, int rounds, List<Mode> modes, boolean serialLoop) throws Exception {
    Map<QualifiedName, Duration> history = new LinkedHashMap<>();
    history(history);
    Map<QualifiedName, List<Double>> parallelTimes = new LinkedHashMap<>();
    Map<QualifiedName, List<Double>> serialTimes = new LinkedHashMap<>();
    Map<String, Callable<Double>> ways = new LinkedHashMap<>();
    ways.put("sequential", () -> refreshAllLoop(false, parallelTimes));
    if (serialLoop) {
      ways.put("sequential_serial", () -> refreshAllLoop(true, serialTimes));
    }
    modes.forEach(mode -> ways.put(mode.key(), () -> runner(mode, history)));
    Map<String, List<Run>> runs = new LinkedHashMap<>();
    ways.keySet().forEach(key -> runs.put(key, new ArrayList<>()));
    List<String> order = new ArrayList<>(ways.keySet());
    for (int round = 0; round < rounds; round++) {
      // each round starts with the next way of running it, so none always follows the same one
      // (and inherits what that one left for the server's background writers)
      for (int i = 0; i < order.size(); i++) {
        String key = order.get((round + i) % order.size());
        runs.get(key).add(timed(ways.get(key)));
      }
    }
    // each view at its fastest: with parallel workers, or (when measured) without them
    Map<QualifiedName, Double> fastest = medians(parallelTimes);
    double criticalPath = criticalPath(fastest);
    figures.put(prefix + ".total_work_s", seconds(fastest.values().stream().mapToDouble(Double::doubleValue).sum()));
    figures.put(prefix + ".critical_path_s", seconds(criticalPath));
    if (serialLoop) {
      Map<QualifiedName, Double> serial = medians(serialTimes);
      figures.put(prefix + ".total_work_serial_s", seconds(serial.values().stream().mapToDouble(Double::doubleValue)
          .sum()));
      figures.put(prefix + ".critical_path_serial_s", seconds(criticalPath(serial)));
      serial.forEach((view, time) -> fastest.merge(view, time, Math::min));
      criticalPath = criticalPath(fastest);
      figures.put(prefix + ".critical_path_fastest_s", seconds(criticalPath));
    }
    // Paired by round: the machine's speed drifts by tens of percent over a minute, so each run is
    // held against the least CPU time of the runs beside it, not against the luckiest stretch.
    List<Double> leastWork = new ArrayList<>();
    List<Double> bounds = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      int r = round;
      double least = runs.values().stream().mapToDouble(list -> list.get(r).cpu().server()).min().orElseThrow();
      leastWork.add(least);
      bounds.add(Math.max(criticalPath, least / cores));
    }
    double work = median(leastWork);
    double bound = median(bounds);
    figures.put(prefix + ".server_cpu_least_s", seconds(work));
    figures.put(prefix + ".bound_s", seconds(bound));
    figures.put(prefix + ".bound_is", criticalPath >= work / cores ? "critical_path" : "server_cpu_over_cores");
    List<Run> sequential = runs.get("sequential");
    String pathNote = serialLoop ? "fastest path " : "critical path ";
    double seq = median(walls(sequential));
    figures.put(prefix + ".sequential_s", seconds(seq));
    double seqOverBound = median(overBound(sequential, bounds));
    figures.put(prefix + ".sequential_over_bound", ratio(seqOverBound));
    figures.put(prefix + ".server_cpu.sequential_s", seconds(medianCpu(sequential)));
    figures.put(prefix + ".cpu_utilisation.sequential", ratio(utilisation(sequential)));
    figures.row(title + ": sequential loop", seconds(seq) + " s", "1.00", ratio(seqOverBound),
        percent(utilisation(sequential)));
    if (serialLoop) {
      List<Run> serial = runs.get("sequential_serial");
      double wall = median(walls(serial));
      figures.put(prefix + ".sequential_serial_s", seconds(wall));
      double overBound = median(overBound(serial, bounds));
      figures.put(prefix + ".sequential_serial_over_bound", ratio(overBound));
      figures.put(prefix + ".cpu_utilisation.sequential_serial", ratio(utilisation(serial)));
      figures.row("  sequential loop, no parallel workers", seconds(wall) + " s", ratio(seq / wall),
          ratio(overBound), percent(utilisation(serial)));
    }
    figures.row("  bound: max(" + pathNote + seconds(criticalPath) + " s, server CPU " + seconds(work) + " s / "
        + cores + ")", seconds(bound) + " s", "", "1.00");
    for (Mode mode : modes) {
      List<Run> list = runs.get(mode.key());
      double wall = median(walls(list));
      String suffix = mode.suffix();
      figures.put(prefix + "." + mode.key() + "_s", seconds(wall));
      List<Double> overBound = overBound(list, bounds);
      figures.put(prefix + ".speedup." + suffix, ratio(seq / wall));
      figures.put(prefix + ".runner_over_bound." + suffix, ratio(median(overBound)));
      figures.put(prefix + ".runner_over_bound." + suffix + ".spread", spread(overBound));
      figures.put(prefix + ".server_cpu.runner." + suffix + "_s", seconds(medianCpu(list)));
      figures.put(prefix + ".cpu_utilisation.runner." + suffix, ratio(utilisation(list)));
      figures.row("  " + mode.label(), seconds(wall) + " s", ratio(seq / wall), ratio(median(overBound)),
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
   * connection, PostgreSQL's own parallel query left alone unless {@code serial}. Adds each view's
   * time to {@code times}.
   */
  private double refreshAllLoop(boolean serial, Map<QualifiedName, List<Double>> times) throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      if (serial) {
        execute(connection, "SET max_parallel_workers_per_gather = 0");
      }
      loopPlan = Refresher.plan(connection, options(1).build());
      long start = System.nanoTime();
      for (var entry : loopPlan.entries()) {
        long viewStart = System.nanoTime();
        execute(connection, entry.statements().get(0));
        times.computeIfAbsent(entry.view(), view -> new ArrayList<>()).add((System.nanoTime() - viewStart) / 1e9);
      }
      return (System.nanoTime() - start) / 1e9;
    }
  }

  /** The longest chain of {@code perView} times along the dependencies of the loop's plan. */
  private double criticalPath(Map<QualifiedName, Double> perView) {
    Map<QualifiedName, Double> finish = new LinkedHashMap<>();
    for (var entry : loopPlan.entries()) {
      finish.put(entry.view(), entry.after().stream().mapToDouble(finish::get).max().orElse(0)
          + perView.get(entry.view()));
    }
    return finish.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
  }

  private static Map<QualifiedName, Double> medians(Map<QualifiedName, List<Double>> times) {
    Map<QualifiedName, Double> medians = new LinkedHashMap<>();
    times.forEach((view, list) -> medians.put(view, median(list)));
    return medians;
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

  /** Each run's wall time over the bound of its round. */
  private static List<Double> overBound(List<Run> runs, List<Double> bounds) {
    List<Double> ratios = new ArrayList<>();
    for (int round = 0; round < runs.size(); round++) {
      ratios.add(runs.get(round).wall() / bounds.get(round));
    }
    return ratios;
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
}
