package dev.mview.it.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.QualifiedName;
import dev.mview.refresh.OnBusy;
import dev.mview.refresh.RefreshMode;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.RefreshPlan;
import dev.mview.refresh.RefreshReport;
import dev.mview.refresh.RefreshStrategy;
import dev.mview.refresh.Refresher;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's Refresher example, run as it is written there. */
@ExtendWith(PostgresExtension.class)
class RefreshReadmeTest {

  @Test
  void theReadmeExampleRefreshesWeeklySalesAndWhatItReads(TestDatabase db) throws Exception {
    db.execute("CREATE SCHEMA analytics", "CREATE TABLE analytics.orders (day date, amount numeric)",
        "INSERT INTO analytics.orders VALUES ('2026-11-02', 10)",
        "CREATE MATERIALIZED VIEW analytics.daily_sales AS SELECT day, sum(amount) AS total FROM analytics.orders GROUP BY day",
        "CREATE UNIQUE INDEX daily_sales_day ON analytics.daily_sales (day)",
        "CREATE MATERIALIZED VIEW analytics.weekly_sales AS"
            + " SELECT date_trunc('week', day) AS week, sum(total) AS total FROM analytics.daily_sales GROUP BY 1",
        "INSERT INTO analytics.orders VALUES ('2026-11-03', 5)");
    DataSource dataSource = db.dataSource();
    RefreshReport report;
    try (Connection connection = db.connect()) {
      report = readmeExample(connection, dataSource);
    }
    assertEquals(List.of(RefreshStrategy.CONCURRENTLY, RefreshStrategy.SWAP),
        report.results().stream().map(result -> result.strategy()).toList());
    assertEquals(List.of(QualifiedName.of("analytics", "daily_sales"), QualifiedName.of("analytics", "weekly_sales")),
        report.results().stream().map(result -> result.view()).toList());
    assertEquals("15", db.value("SELECT total::text FROM analytics.weekly_sales"));
  }

  private static RefreshReport readmeExample(Connection connection, DataSource dataSource) {
    RefreshOptions options = RefreshOptions.builder()
        .views(QualifiedName.parse("analytics.weekly_sales"))  // or .schemas("analytics"); neither = every MV
        .includeUpstream(true)          // also the MVs it reads (through plain views too), first
        .includeDownstream(false)       // also the MVs that read it, after
        .mode(RefreshMode.AUTO)         // AUTO (default) | CONCURRENTLY (never block readers, or fail) | PLAIN
        .swap(true)                     // opt in to the swap refresh (below)
        .lockTimeout(Duration.ofSeconds(5))      // SET LOCAL per view; unset = the session's
        .statementTimeout(Duration.ofMinutes(30))
        .onBusy(OnBusy.WAIT)            // WAIT | SKIP when another session is refreshing the same view
        .parallelism(4)                 // connections, for the DataSource runner
        .expectedDurations(Map.of(QualifiedName.parse("analytics.daily_sales"), Duration.ofSeconds(40)))
                                        // else each view's last refresh in the history, else the catalog
        .build();

    RefreshPlan plan = Refresher.plan(connection, options);      // changes nothing
    System.out.print(plan.toScript());                           // per view: strategy, reason, estimate, SQL

    RefreshReport report = Refresher.refresh(dataSource, options);  // up to parallelism connections at once
    // or Refresher.refresh(connection, options): one connection, works inside a caller's transaction
    report.results();        // per view: strategy, reason, outcome, duration, rows, message
    report.throwIfFailed();  // MviewException with report.failureSummary() when a view failed
    return report;
  }
}
