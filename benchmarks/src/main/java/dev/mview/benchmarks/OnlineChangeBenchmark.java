package dev.mview.benchmarks;

import dev.mview.model.IndexDefinition;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import dev.mview.plan.Plan;
import dev.mview.plan.ReconcileOptions;
import dev.mview.plan.Reconciler;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.RefreshReport;
import dev.mview.refresh.RefreshResult;
import dev.mview.refresh.RefreshStrategy;
import dev.mview.refresh.Refresher;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * What a change costs the readers of the views it touches, on an embedded PostgreSQL it starts
 * itself: a reader queries a dependent of the changed view every 2 ms from before the change until
 * after it, and its longest read over the change's wall time says how much of the change it waited
 * for (1.00: all of it).
 *
 * <ol>
 *   <li>redefinition of a root over 1M rows read by five views in three levels (materialized and
 *       plain, two made by hand), with the plan in place and with the online plan;
 *   <li>swap refresh of a view without a unique index read by a plain view and a materialized
 *       view refreshed in the same run.
 * </ol>
 */
public final class OnlineChangeBenchmark {
  /** Held so the level set below is not garbage-collected with the logger. */
  private static final Logger MVIEW_LOG = Logger.getLogger("dev.mview");
  private static final int ROWS = 1_000_000;
  private static final int ROUNDS = 3;
  private static final String[] QUERIES = {
      "SELECT id, k, v FROM bench.src",
      "SELECT id, k, v, v * 2 AS doubled FROM bench.src"};

  private final Map<String, String> figures = new LinkedHashMap<>();
  private final DataSource dataSource;

  private OnlineChangeBenchmark(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public static void main(String[] args) throws Exception {
    MVIEW_LOG.setLevel(Level.WARNING);
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
        .setServerConfig("shared_buffers", "256MB")
        .setServerConfig("max_wal_size", "4GB")
        .setServerConfig("checkpoint_timeout", "30min")
        .setServerConfig("work_mem", "32MB")
        .start()) {
      OnlineChangeBenchmark benchmark = new OnlineChangeBenchmark(postgres.getPostgresDatabase());
      benchmark.redefinition();
      benchmark.swapWithDependents();
      benchmark.table();
    }
  }

  // ---- 1. redefinition -------------------------------------------------------------------------

  private static ViewModel model(String rootQuery) {
    return ViewModel.of(
        ViewDefinition.materializedView("bench.root", rootQuery).index(IndexDefinition.unique("id")).build(),
        ViewDefinition.materializedView("bench.by_k", "SELECT k, sum(v) AS s, count(*) AS n FROM bench.root GROUP BY k")
            .index(IndexDefinition.unique("k")).build(),
        ViewDefinition.view("bench.even", "SELECT id, k, v FROM bench.root WHERE v % 2 = 0").build());
  }

  private void redefinition() throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      execute(connection, "CREATE SCHEMA bench");
      execute(connection, "CREATE TABLE bench.src AS SELECT i AS id, i % 1000 AS k, i AS v FROM generate_series(1, "
          + ROWS + ") i");
      Reconciler.plan(connection, model(QUERIES[0])).execute(connection);
      // Two more levels, made by hand: everything above is rebuilt with the root.
      execute(connection, "CREATE MATERIALIZED VIEW bench.even_by_k AS SELECT k, count(*) AS n FROM bench.even GROUP BY k");
      execute(connection, "CREATE UNIQUE INDEX even_by_k_k ON bench.even_by_k (k)");
      execute(connection, "CREATE VIEW bench.top_k AS SELECT k, s FROM bench.by_k ORDER BY s DESC LIMIT 10");
      execute(connection, "CREATE VIEW bench.even_total AS SELECT sum(n) AS n FROM bench.even_by_k");
      execute(connection, "VACUUM ANALYZE");
    }
    int round = 0;
    for (boolean online : new boolean[] {false, true}) {
      List<Double> ratios = new ArrayList<>();
      List<Double> walls = new ArrayList<>();
      List<Double> longest = new ArrayList<>();
      for (int i = 0; i < ROUNDS; i++) {
        ViewModel next = model(QUERIES[++round % 2]);
        ReconcileOptions options = ReconcileOptions.builder().online(online).build();
        Reading reading = readWhile("SELECT s FROM bench.by_k WHERE k = ?", 1000, () -> {
          try (Connection connection = dataSource.getConnection()) {
            Plan plan = Reconciler.plan(connection, next, options);
            long start = System.nanoTime();
            plan.execute(connection);
            return (System.nanoTime() - start) / 1e9;
          }
        });
        ratios.add(reading.longest / reading.wall);
        walls.add(reading.wall);
        longest.add(reading.longest);
      }
      String prefix = "redefine." + (online ? "online" : "plain");
      put(prefix + ".redefine_s", seconds(median(walls)));
      put(prefix + ".longest_read_ms", millis(median(longest)));
      put(prefix + ".longest_read_over_redefine", ratio(median(ratios)));
    }
  }

  // ---- 2. swap refresh of a view with dependents -------------------------------------------------

  private void swapWithDependents() throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      execute(connection, "CREATE SCHEMA swap");
      execute(connection, "CREATE TABLE swap.src AS SELECT i AS id, i AS v, md5(i::text) AS h FROM generate_series(1, "
          + ROWS + ") i");
      execute(connection, "CREATE MATERIALIZED VIEW swap.unkeyed AS SELECT id, v, h FROM swap.src");
      execute(connection, "CREATE INDEX unkeyed_id ON swap.unkeyed (id)");
      execute(connection, "CREATE VIEW swap.reader AS SELECT id, v FROM swap.unkeyed");
      execute(connection, "CREATE MATERIALIZED VIEW swap.summary AS SELECT count(*) AS n, sum(v) AS s FROM swap.reader");
      execute(connection, "VACUUM ANALYZE");
    }
    QualifiedName view = QualifiedName.of("swap", "unkeyed");
    RefreshOptions options = RefreshOptions.builder().views(view).includeDownstream(true).swap(true).build();
    List<Double> ratios = new ArrayList<>();
    List<Double> walls = new ArrayList<>();
    List<Double> longest = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      try (Connection connection = dataSource.getConnection()) {
        execute(connection, "UPDATE swap.src SET v = v + 1 WHERE id % 100 = 0"); // 1% of rows change
      }
      Reading reading = readWhile("SELECT v FROM swap.reader WHERE id = ?", ROWS, () -> {
        try (Connection connection = dataSource.getConnection()) {
          RefreshReport report = Refresher.refresh(connection, options).throwIfFailed();
          RefreshResult first = report.results().get(0);
          if (first.strategy() != RefreshStrategy.SWAP) {
            throw new IllegalStateException("expected a swap but got " + first);
          }
          return report.wallTime().toNanos() / 1e9;
        }
      });
      ratios.add(reading.longest / reading.wall);
      walls.add(reading.wall);
      longest.add(reading.longest);
    }
    put("stall.swap_with_dependents.refresh_s", seconds(median(walls)));
    put("stall.swap_with_dependents.longest_read_ms", millis(median(longest)));
    put("stall.swap_with_dependents.longest_read_over_refresh", ratio(median(ratios)));
  }

  // ---- the reader ------------------------------------------------------------------------------

  private record Reading(double wall, double longest) {}

  /**
   * Runs {@code change} (which returns its own wall time in seconds) while a reader runs
   * {@code query} with a random key in 1..{@code keys} every 2 ms, from half a second before until
   * half a second after. A reader error (none is expected: names resolve again after a swap) fails
   * the benchmark.
   */
  private Reading readWhile(String query, int keys, Callable<Double> change) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger reads = new AtomicInteger();
    long[] longest = {0};
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Future<?> reader = pool.submit(() -> {
      try (Connection connection = dataSource.getConnection();
          PreparedStatement read = connection.prepareStatement(query)) {
        while (!stop.get()) {
          read.setInt(1, ThreadLocalRandom.current().nextInt(1, keys + 1));
          long start = System.nanoTime();
          try (ResultSet rs = read.executeQuery()) {
            rs.next();
          }
          longest[0] = Math.max(longest[0], System.nanoTime() - start);
          reads.incrementAndGet();
          Thread.sleep(2);
        }
      }
      return null;
    });
    try {
      Thread.sleep(500);
      double wall = change.call();
      Thread.sleep(500);
      stop.set(true);
      reader.get();
      return new Reading(wall, longest[0] / 1e9);
    } finally {
      stop.set(true);
      pool.shutdown();
    }
  }

  // ---- output ----------------------------------------------------------------------------------

  private void table() {
    String[][] rows = {
        {"Redefine a root over 1M rows with 5 dependents: in place", figures.get("redefine.plain.longest_read_ms") + " ms",
            figures.get("redefine.plain.longest_read_over_redefine")},
        {"  online (built beside, swapped in)", figures.get("redefine.online.longest_read_ms") + " ms",
            figures.get("redefine.online.longest_read_over_redefine")},
        {"Swap refresh of a 1M-row MV read by a view and an MV",
            figures.get("stall.swap_with_dependents.longest_read_ms") + " ms",
            figures.get("stall.swap_with_dependents.longest_read_over_refresh")},
    };
    System.out.println();
    System.out.printf(Locale.ROOT, "%-60s %10s %14s%n", "figure", "longest read", "ratio");
    Arrays.stream(rows).forEach(row -> System.out.printf(Locale.ROOT, "%-60s %10s %14s%n", (Object[]) row));
    System.out.println("(ratio: a reader's longest read / the change's wall time, median of " + ROUNDS + " runs)");
  }

  private void put(String name, String value) {
    figures.put(name, value);
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
    return String.format(Locale.ROOT, "%.3f", value);
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
