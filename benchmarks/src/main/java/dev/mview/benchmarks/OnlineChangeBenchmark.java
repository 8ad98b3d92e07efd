package dev.mview.benchmarks;

import static dev.mview.benchmarks.Figures.fraction;
import static dev.mview.benchmarks.Figures.median;
import static dev.mview.benchmarks.Figures.millis;
import static dev.mview.benchmarks.Figures.seconds;
import static dev.mview.benchmarks.Jdbc.execute;

import dev.mview.benchmarks.Reader.Reading;
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
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The {@code online} section: what a change costs the readers of the views it touches. A reader
 * queries a dependent of the changed view every 2 ms from before the change until after it, and its
 * longest read over the change's wall time says how much of the change it waited for (1.00: all of
 * it).
 *
 * <ol>
 *   <li>redefinition of a root over 1M rows read by five views in three levels (materialized and
 *       plain, two made by hand), with the plan in place and with the online plan;
 *   <li>swap refresh of a view without a unique index read by a plain view and a materialized
 *       view refreshed in the same run.
 * </ol>
 */
final class OnlineChangeBenchmark {
  private static final int ROWS = 1_000_000;
  private static final int ROUNDS = 3;
  private static final String[] QUERIES = {
      "SELECT id, k, v FROM bench.src",
      "SELECT id, k, v, v * 2 AS doubled FROM bench.src"};

  private final DataSource dataSource;
  private final Figures figures;

  OnlineChangeBenchmark(DataSource dataSource, Figures figures) {
    this.dataSource = dataSource;
    this.figures = figures;
  }

  void run() throws Exception {
    redefinition();
    swapWithDependents();
    figures.row("Redefine a root over 1M rows with 5 dependents: in place",
        figures.get("redefine.plain.longest_read_ms") + " ms", figures.get("redefine.plain.longest_read_over_redefine"));
    figures.row("  online (built beside, swapped in)", figures.get("redefine.online.longest_read_ms") + " ms",
        figures.get("redefine.online.longest_read_over_redefine"));
    figures.row("Swap refresh of a 1M-row MV read by a view and an MV",
        figures.get("stall.swap_with_dependents.longest_read_ms") + " ms",
        figures.get("stall.swap_with_dependents.longest_read_over_refresh"));
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
        Reading reading = Reader.readWhile(dataSource, "SELECT s FROM bench.by_k WHERE k = ?", 1000, 2, () -> {
          try (Connection connection = dataSource.getConnection()) {
            Plan plan = Reconciler.plan(connection, next, options);
            long start = System.nanoTime();
            plan.execute(connection);
            return (System.nanoTime() - start) / 1e9;
          }
        });
        ratios.add(reading.longestOverWall());
        walls.add(reading.wall());
        longest.add(reading.longest());
      }
      String prefix = "redefine." + (online ? "online" : "plain");
      figures.put(prefix + ".redefine_s", seconds(median(walls)));
      figures.put(prefix + ".longest_read_ms", millis(median(longest)));
      figures.put(prefix + ".longest_read_over_redefine", fraction(median(ratios)));
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
      Reading reading = Reader.readWhile(dataSource, "SELECT v FROM swap.reader WHERE id = ?", ROWS, 2, () -> {
        try (Connection connection = dataSource.getConnection()) {
          RefreshReport report = Refresher.refresh(connection, options).throwIfFailed();
          RefreshResult first = report.results().get(0);
          if (first.strategy() != RefreshStrategy.SWAP) {
            throw new IllegalStateException("expected a swap but got " + first);
          }
          return report.wallTime().toNanos() / 1e9;
        }
      });
      ratios.add(reading.longestOverWall());
      walls.add(reading.wall());
      longest.add(reading.longest());
    }
    figures.put("stall.swap_with_dependents.refresh_s", seconds(median(walls)));
    figures.put("stall.swap_with_dependents.longest_read_ms", millis(median(longest)));
    figures.put("stall.swap_with_dependents.longest_read_over_refresh", fraction(median(ratios)));
  }
}
