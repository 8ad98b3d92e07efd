package dev.mview.it.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.MviewException;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.QualifiedName;
import dev.mview.refresh.HistoryEntry;
import dev.mview.refresh.RefreshHistory;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.RefreshOutcome;
import dev.mview.refresh.RefreshReport;
import dev.mview.refresh.RefreshStrategy;
import dev.mview.refresh.Refresher;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The refresh history: one row per view refreshed or failed, written with the refresh's own commit
 * (none when the caller's transaction rolls back), kept to a bound, and read back by the API.
 */
@ExtendWith(PostgresExtension.class)
class RefreshHistoryTest {

  @BeforeAll
  static void schema(TestDatabase db) {
    db.execute("CREATE TABLE public.t (id int PRIMARY KEY)", "INSERT INTO public.t SELECT generate_series(1, 5)",
        "CREATE TABLE public.divisor (d int)", "INSERT INTO public.divisor VALUES (1)");
  }

  private static void views(TestDatabase db, String schema) {
    db.execute("CREATE SCHEMA " + schema,
        "CREATE MATERIALIZED VIEW " + schema + ".keyed AS SELECT id FROM public.t",
        "CREATE UNIQUE INDEX ON " + schema + ".keyed (id)",
        "CREATE MATERIALIZED VIEW " + schema + ".unkeyed AS SELECT id FROM " + schema + ".keyed",
        "CREATE MATERIALIZED VIEW " + schema + ".bad AS SELECT id / (SELECT min(d) FROM public.divisor) AS id FROM public.t",
        "CREATE MATERIALIZED VIEW " + schema + ".after_bad AS SELECT id FROM " + schema + ".bad",
        "CREATE MATERIALIZED VIEW " + schema + ".untouched AS SELECT id FROM public.t");
  }

  private static List<Map<String, Object>> rows(TestDatabase db, String table, String schema) {
    return db.rows("SELECT view_name, strategy, outcome, row_count, ran_by, message IS NOT NULL AS has_message,"
        + " started_at <= finished_at AS ordered FROM " + table + " WHERE view_schema = ? ORDER BY id", schema);
  }

  private static RefreshReport refresh(TestDatabase db, RefreshOptions options) throws Exception {
    try (Connection connection = db.connect()) {
      return Refresher.refresh(connection, options);
    }
  }

  @Test
  void rowsAreWrittenExactlyForTheViewsRefreshedWithStrategyOutcomeAndRows(TestDatabase db) throws Exception {
    views(db, "h1");
    refresh(db, RefreshOptions.builder().views(QualifiedName.of("h1", "keyed"), QualifiedName.of("h1", "unkeyed"))
        .build()).throwIfFailed();

    assertEquals(List.of(
        Map.of("view_name", "keyed", "strategy", "CONCURRENTLY", "outcome", "REFRESHED", "row_count", 5L,
            "ran_by", "java", "has_message", false, "ordered", true),
        Map.of("view_name", "unkeyed", "strategy", "PLAIN", "outcome", "REFRESHED", "row_count", 5L,
            "ran_by", "java", "has_message", false, "ordered", true)),
        rows(db, "public.mview_refresh_history", "h1"), "in the connection's current schema, nothing for the others");
    assertEquals(db.user(), db.value("SELECT DISTINCT db_user FROM public.mview_refresh_history WHERE view_schema = 'h1'"));
  }

  @Test
  void aFailedViewGetsAFailedRowAndTheViewsSkippedBecauseOfItNone(TestDatabase db) throws Exception {
    views(db, "h2");
    db.execute("UPDATE public.divisor SET d = 0");
    RefreshReport report;
    try {
      report = refresh(db, RefreshOptions.builder().schemas("h2").build());
    } finally {
      db.execute("UPDATE public.divisor SET d = 1");
    }
    assertEquals(RefreshOutcome.SKIPPED_UPSTREAM_FAILED,
        report.result(QualifiedName.of("h2", "after_bad")).orElseThrow().outcome());
    List<Map<String, Object>> rows = rows(db, "public.mview_refresh_history", "h2");
    assertEquals(List.of("bad FAILED true", "keyed REFRESHED false", "unkeyed REFRESHED false",
            "untouched REFRESHED false"),
        rows.stream().map(row -> row.get("view_name") + " " + row.get("outcome") + " " + row.get("has_message"))
            .sorted().toList());
    assertTrue(db.<String>value("SELECT message FROM public.mview_refresh_history WHERE view_schema = 'h2'"
        + " AND view_name = 'bad'").contains("division by zero"));
  }

  @Test
  void aRefreshInsideACallersTransactionThatRollsBackLeavesNoRow(TestDatabase db) throws Exception {
    views(db, "h3");
    refresh(db, RefreshOptions.builder().views(QualifiedName.of("h3", "untouched")).build()); // the table exists
    try (Connection connection = db.connect()) {
      connection.setAutoCommit(false);
      RefreshReport report = Refresher.refresh(connection, RefreshOptions.builder().views(QualifiedName.of("h3", "keyed"))
          .build());
      assertEquals(RefreshOutcome.REFRESHED, report.results().get(0).outcome());
      connection.rollback();
    }
    assertEquals(List.of("untouched"), db.column("SELECT view_name FROM public.mview_refresh_history"
        + " WHERE view_schema = 'h3'"));

    try (Connection connection = db.connect()) {
      connection.setAutoCommit(false);
      Refresher.refresh(connection, RefreshOptions.builder().views(QualifiedName.of("h3", "keyed")).build());
      connection.commit();
    }
    assertEquals(List.of("keyed", "untouched"), db.column("SELECT view_name FROM public.mview_refresh_history"
        + " WHERE view_schema = 'h3' ORDER BY 1"), "committed with the caller");
  }

  @Test
  void theParallelRunnerAndTheSwapRecordTooInTheSchemaAsked(TestDatabase db) throws Exception {
    views(db, "h4");
    db.execute("CREATE SCHEMA h4_history");
    RefreshReport report = Refresher.refresh(db.dataSource(), RefreshOptions.builder().schemas("h4").parallelism(2)
        .swap(true).history(RefreshHistory.inSchema("h4_history").ranBy("nightly job")).build());
    assertFalse(report.failed(), report.failureSummary());
    assertEquals(List.of("after_bad SWAP", "bad SWAP", "keyed CONCURRENTLY", "unkeyed SWAP", "untouched SWAP"),
        rows(db, "h4_history.mview_refresh_history", "h4").stream()
            .map(row -> row.get("view_name") + " " + row.get("strategy")).sorted().toList());
    assertEquals(List.of("nightly job"), db.column("SELECT DISTINCT ran_by FROM h4_history.mview_refresh_history"));
    assertEquals(0L, db.<Long>value("SELECT count(*) FROM public.mview_refresh_history WHERE view_schema = 'h4'"));
  }

  @Test
  void eachViewKeepsItsNewestRowsAndItsLastSuccess(TestDatabase db) throws Exception {
    views(db, "h5");
    RefreshOptions bad = RefreshOptions.builder().views(QualifiedName.of("h5", "bad"))
        .history(RefreshHistory.inSchema("h5").keepPerView(2)).build();
    refresh(db, bad).throwIfFailed();
    db.execute("UPDATE public.divisor SET d = 0");
    try {
      for (int i = 0; i < 3; i++) {
        assertTrue(refresh(db, bad).failed());
      }
    } finally {
      db.execute("UPDATE public.divisor SET d = 1");
    }
    assertEquals(List.of("REFRESHED", "FAILED", "FAILED"),
        db.column("SELECT outcome FROM h5.mview_refresh_history ORDER BY id"),
        "the newest two, and the last success");
  }

  @Test
  void theApiAnswersTheLastSuccessTheLastAttemptAndTheDurationsAcrossHistoryTables(TestDatabase db)
      throws Exception {
    views(db, "h6");
    QualifiedName keyed = QualifiedName.of("h6", "keyed");
    QualifiedName bad = QualifiedName.of("h6", "bad");
    RefreshReport first = refresh(db, RefreshOptions.builder().views(keyed, bad).build());
    db.execute("UPDATE public.divisor SET d = 0");
    try {
      refresh(db, RefreshOptions.builder().views(bad).history(RefreshHistory.inSchema("h6")).build());
    } finally {
      db.execute("UPDATE public.divisor SET d = 1");
    }
    try (Connection connection = db.connect()) {
      // README: reading the history
      Map<QualifiedName, HistoryEntry> success = RefreshHistory.lastSuccessful(connection); // finished(), duration(), rows()
      Map<QualifiedName, HistoryEntry> attempts = RefreshHistory.lastAttempts(connection);  // outcome() FAILED, message()
      Map<QualifiedName, Duration> durations = RefreshHistory.lastDurations(connection);   // what the scheduler starts from
      // README: end

      HistoryEntry good = success.get(bad);
      assertEquals(RefreshOutcome.REFRESHED, good.outcome());
      assertEquals(RefreshStrategy.PLAIN, good.strategy());
      assertEquals(5L, good.rows());
      Instant started = first.result(bad).orElseThrow().started().truncatedTo(ChronoUnit.MICROS);
      Instant finished = first.result(bad).orElseThrow().finished().truncatedTo(ChronoUnit.MICROS);
      assertEquals(started, good.started());
      assertEquals(Duration.between(started, finished), good.duration());
      assertEquals(RefreshOutcome.FAILED, attempts.get(bad).outcome(), "read from h6's own history table");
      assertNull(attempts.get(bad).rows());
      assertEquals(good.duration(), durations.get(bad));
      assertEquals(success.get(keyed).duration(), durations.get(keyed));
      assertFalse(durations.containsKey(QualifiedName.of("h6", "untouched")));
    }
    String staleViews = new String(RefreshHistoryTest.class.getResourceAsStream("stale_views.sql").readAllBytes(),
        StandardCharsets.UTF_8);
    List<Map<String, Object>> ages = db.rows(staleViews.substring(staleViews.indexOf("SELECT")).replace(";", ""));
    assertTrue(ages.stream().anyMatch(row -> row.get("view_schema").equals("h6") && row.get("view_name").equals("keyed")),
        ages.toString());
  }

  @Test
  void historyOffCreatesNothingAndAnUnwritableSchemaFailsBeforeAnyRefresh(TestDatabase db) throws Exception {
    views(db, "h7");
    refresh(db, RefreshOptions.builder().schemas("h7").history(RefreshHistory.off()).build());
    assertEquals(0L, db.<Long>value("SELECT count(*) FROM public.mview_refresh_history WHERE view_schema = 'h7'"));

    MviewException e = assertThrows(MviewException.class, () -> refresh(db, RefreshOptions.builder().schemas("h7")
        .history(RefreshHistory.inSchema("no_such_schema")).build()));
    assertEquals(MviewException.Kind.DATABASE, e.kind());
    assertTrue(e.getMessage().startsWith("cannot create the refresh history table no_such_schema.mview_refresh_history:"
        + " ERROR: schema \"no_such_schema\" does not exist"), e.getMessage());
  }
}
