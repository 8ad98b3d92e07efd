package dev.mview.it.redefine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.it.support.CountingConnection;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import dev.mview.plan.Plan;
import dev.mview.plan.Planner;
import dev.mview.plan.Reconciler;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PlanningCostTest {

  /** {@code count} views in chains of five: every fifth reads the table, each other the one before. */
  private static ViewModel views(String schema, int count) {
    List<ViewDefinition> views = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String source = i % 5 == 0 ? schema + ".t" : schema + ".v" + (i - 1);
      String query = "SELECT id, n + " + i + " AS n FROM " + source;
      views.add(i % 2 == 0
          ? ViewDefinition.materializedView(schema + ".v" + i, query).withData(false).build()
          : ViewDefinition.view(schema + ".v" + i, query).build());
    }
    return ViewModel.of(views);
  }

  @BeforeAll
  static void schemas(TestDatabase db) throws Exception {
    for (String schema : List.of("small", "large")) {
      db.execute("CREATE SCHEMA " + schema, "CREATE TABLE " + schema + ".t (id int, n int)");
    }
    try (Connection connection = db.connect()) {
      Planner.create(views("small", 5)).execute(connection);
      Planner.create(views("large", 500)).execute(connection);
    }
  }

  private static List<String> sentWhilePlanning(TestDatabase db, ViewModel model) throws Exception {
    try (Connection real = db.connect()) {
      CountingConnection counting = new CountingConnection(real);
      Plan plan = Reconciler.plan(counting.connection(), model);
      assertTrue(plan.isEmpty(), plan.toScript());
      return counting.sent();
    }
  }

  @Test
  void planningFiveHundredViewsSendsAsManyStatementsAsPlanningFive(TestDatabase db) throws Exception {
    List<String> five = sentWhilePlanning(db, views("small", 5));
    List<String> fiveHundred = sentWhilePlanning(db, views("large", 500));
    assertEquals(five.size(), fiveHundred.size(), "five: " + five + "\nfive hundred: " + fiveHundred.size());
    // eight catalog reads, one batch of probes, two reads of what PostgreSQL made of them, settings
    assertTrue(five.size() <= 15, "a small fixed number of round trips: " + five.size() + " " + five);
  }

  @Test
  void aQueryThatNeedsItsUpstreamReplacedFirstIsNotAnError(TestDatabase db) throws Exception {
    db.execute("CREATE SCHEMA chain", "CREATE TABLE chain.t (id int, n int)",
        "CREATE MATERIALIZED VIEW chain.a AS SELECT id FROM chain.t",
        "CREATE MATERIALIZED VIEW chain.b AS SELECT id FROM chain.a");
    ViewModel model = ViewModel.of(
        ViewDefinition.materializedView("chain.a", "SELECT id, n FROM chain.t").build(),
        ViewDefinition.materializedView("chain.b", "SELECT id, n FROM chain.a").build());
    Plan plan;
    try (Connection connection = db.connect()) {
      plan = Reconciler.plan(connection, model);
      plan.execute(connection);
    }
    assertTrue(plan.toScript().contains("-- create chain.b: definition changed (reads chain.a, which change first)"),
        plan.toScript());
    assertEquals(List.of("id", "n"),
        db.column("SELECT attname::text FROM pg_attribute WHERE attrelid = 'chain.b'::regclass AND attnum > 0 ORDER BY attnum"));
  }
}
