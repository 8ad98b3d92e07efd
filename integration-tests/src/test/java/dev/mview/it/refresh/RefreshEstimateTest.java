package dev.mview.it.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.QualifiedName;
import dev.mview.refresh.PlannedRefresh;
import dev.mview.refresh.RefreshEstimate;
import dev.mview.refresh.RefreshHistory;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.RefreshOutcome;
import dev.mview.refresh.RefreshPlan;
import dev.mview.refresh.RefreshReport;
import dev.mview.refresh.RefreshResult;
import dev.mview.refresh.Refresher;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Estimates on a real catalog: a large table {@code e.t} under the chain {@code big -> big2}
 * (through the plain view {@code v}), and a small table under {@code small}.
 */
@ExtendWith(PostgresExtension.class)
class RefreshEstimateTest {
  private static final QualifiedName BIG = QualifiedName.of("e", "big");
  private static final QualifiedName BIG2 = QualifiedName.of("e", "big2");
  private static final QualifiedName SMALL = QualifiedName.of("e", "small");

  @BeforeAll
  static void views(TestDatabase db) {
    db.execute(
        "CREATE SCHEMA e",
        "CREATE TABLE e.t AS SELECT i AS id, i % 100 AS k FROM generate_series(1, 50000) i",
        "CREATE TABLE e.s AS SELECT i AS id FROM generate_series(1, 10) i",
        "CREATE MATERIALIZED VIEW e.big AS SELECT id, k FROM e.t",
        "CREATE VIEW e.v AS SELECT k FROM e.big",
        "CREATE MATERIALIZED VIEW e.big2 AS SELECT k, count(*) AS n FROM e.v GROUP BY k",
        "CREATE MATERIALIZED VIEW e.small AS SELECT id FROM e.s",
        "VACUUM ANALYZE e.t, e.s, e.big, e.big2, e.small");
  }

  private static RefreshPlan plan(TestDatabase db, RefreshOptions options) throws Exception {
    try (Connection connection = db.connect()) {
      return Refresher.plan(connection, options);
    }
  }

  private static long pages(TestDatabase db, String relation) {
    return ((Number) db.value("SELECT relpages FROM pg_class WHERE oid = ?::regclass", relation)).longValue();
  }

  @Test
  void withoutDurationsEachViewGetsTheCatalogSizeOfItselfAndWhatItReads(TestDatabase db) throws Exception {
    RefreshPlan plan = plan(db, RefreshOptions.builder().schemas("e").history(RefreshHistory.off()).build());

    PlannedRefresh big = plan.entry(BIG).orElseThrow();
    assertEquals(RefreshEstimate.Source.CATALOG_SIZE, big.estimate().source());
    assertEquals(pages(db, "e.big") + pages(db, "e.t"), big.estimate().pages());
    // through the plain view: what it reads is scanned
    assertEquals(pages(db, "e.big2") + pages(db, "e.big"), plan.entry(BIG2).orElseThrow().estimate().pages());
    assertEquals(pages(db, "e.small") + pages(db, "e.s"), plan.entry(SMALL).orElseThrow().estimate().pages());
    assertEquals(RefreshEstimate.DEFAULT_PER_PAGE.multipliedBy(big.estimate().pages()), big.estimate().expected());
    assertEquals(true, big.estimate().pages() > 100, "50,000 rows span hundreds of pages: " + big.estimate());
    assertEquals(true, plan.toScript().contains("-- refresh e.big PLAIN: no usable unique index: it has no unique"
        + " index\n-- estimate: " + big.estimate() + "\nREFRESH MATERIALIZED VIEW e.big;\n"), plan.toScript());
  }

  @Test
  void theDurationsOfOneRefreshAreTheEstimatesOfTheNext(TestDatabase db) throws Exception {
    db.execute("INSERT INTO e.t SELECT i, i % 100 FROM generate_series(50001, 60000) i");
    RefreshOptions options = RefreshOptions.builder().schemas("e").parallelism(2).build();
    Refresher.refresh(db.dataSource(), options).throwIfFailed();
    Map<QualifiedName, Duration> recorded;
    try (Connection connection = db.connect()) {
      recorded = RefreshHistory.lastDurations(connection);
    }

    RefreshPlan plan = plan(db, options);
    assertEquals(3, plan.entries().size());
    for (PlannedRefresh entry : plan.entries()) {
      assertEquals(RefreshEstimate.Source.LAST_REFRESH, entry.estimate().source(), entry.toString());
      assertEquals(recorded.get(entry.view()), entry.estimate().expected());
    }
    // A duration given in the options wins over the recorded one.
    RefreshOptions next = options.toBuilder().expectedDurations(Map.of(SMALL, Duration.ofSeconds(7))).build();
    RefreshEstimate given = plan(db, next).entry(SMALL).orElseThrow().estimate();
    assertEquals(RefreshEstimate.Source.GIVEN_DURATION, given.source());
    assertEquals(Duration.ofSeconds(7), given.expected());
    db.execute("INSERT INTO e.s VALUES (11)");
    RefreshReport second = Refresher.refresh(db.dataSource(), next).throwIfFailed();

    assertEquals(plan.views(), second.results().stream().map(RefreshResult::view).toList());
    assertEquals(3, second.withOutcome(RefreshOutcome.REFRESHED).size());
    assertEquals(60000L, ((Number) db.value("SELECT count(*) FROM e.big")).longValue());
    assertEquals(60000L, ((Number) db.value("SELECT sum(n) FROM e.big2")).longValue());
    assertEquals(11L, ((Number) db.value("SELECT count(*) FROM e.small")).longValue());
  }
}
