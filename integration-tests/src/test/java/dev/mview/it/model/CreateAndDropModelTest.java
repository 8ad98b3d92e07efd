package dev.mview.it.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.MviewException;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.IndexDefinition;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import dev.mview.plan.Planner;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(PostgresExtension.class)
class CreateAndDropModelTest {

  @BeforeAll
  static void tables(TestDatabase db) {
    db.execute(
        "CREATE SCHEMA shop",
        "CREATE SCHEMA analytics",
        "CREATE TABLE shop.orders (id int PRIMARY KEY, customer text NOT NULL, amount numeric NOT NULL,"
            + " paid boolean NOT NULL, ordered_on date NOT NULL)",
        "INSERT INTO shop.orders SELECT i, 'c' || (i % 7), i % 50, i % 3 <> 0, date '2026-01-01' + (i % 60)"
            + " FROM generate_series(1, 1000) i");
  }

  /** Six views in three levels: plain views on a table, materialized on those, materialized on materialized. */
  private static List<ViewDefinition> sixViews() {
    return List.of(
        ViewDefinition.view("shop.paid_orders", "SELECT id, customer, amount, ordered_on FROM shop.orders WHERE paid").build(),
        ViewDefinition.view("shop.open_orders", "SELECT id, customer, amount FROM shop.orders WHERE NOT paid").build(),
        ViewDefinition.materializedView("analytics.daily_sales",
                "SELECT ordered_on AS day, sum(amount) AS total, count(*) AS orders FROM shop.paid_orders GROUP BY ordered_on")
            .index(IndexDefinition.unique("day")).comment("paid sales per day").build(),
        ViewDefinition.materializedView("analytics.customer_debt",
                "SELECT customer, sum(amount) AS owed FROM shop.open_orders GROUP BY customer")
            .index(IndexDefinition.unique("customer")).build(),
        ViewDefinition.materializedView("analytics.weekly_sales",
                "SELECT date_trunc('week', day)::date AS week, sum(total) AS total FROM analytics.daily_sales GROUP BY 1")
            .build(),
        ViewDefinition.materializedView("analytics.worst_debtors",
                "SELECT d.customer, d.owed FROM analytics.customer_debt d"
                    + " JOIN analytics.daily_sales s ON s.day = date '2026-01-05' ORDER BY d.owed DESC LIMIT 3")
            .build());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void shuffledModelIsCreatedInOrderPopulatedAndDroppedWithoutTrace(long seed, TestDatabase db) throws Exception {
    List<ViewDefinition> shuffled = new ArrayList<>(sixViews());
    Collections.shuffle(shuffled, new Random(seed));
    ViewModel model = ViewModel.of(shuffled);

    try (Connection connection = db.connect()) {
      Planner.create(model).execute(connection);
    }

    assertEquals(List.of("analytics.customer_debt:m", "analytics.daily_sales:m", "analytics.weekly_sales:m",
            "analytics.worst_debtors:m", "shop.open_orders:v", "shop.paid_orders:v"),
        db.column("SELECT n.nspname || '.' || c.relname || ':' || c.relkind::text FROM pg_class c"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname IN ('shop', 'analytics') AND c.relkind IN ('v', 'm') ORDER BY 1"));
    assertEquals(List.of(true, true, true, true), db.column("SELECT ispopulated FROM pg_matviews ORDER BY 1"));
    assertEquals(db.<Object>value("SELECT sum(amount) FROM shop.orders WHERE paid"),
        db.value("SELECT sum(total) FROM analytics.weekly_sales"));
    assertEquals(List.of("customer_debt_customer_key", "daily_sales_day_key"),
        db.column("SELECT indexname FROM pg_indexes WHERE schemaname = 'analytics' ORDER BY 1"));
    assertEquals("paid sales per day", db.value("SELECT obj_description('analytics.daily_sales'::regclass, 'pg_class')"));

    try (Connection connection = db.connect()) {
      Planner.drop(model).execute(connection);
    }

    assertEquals(List.of("shop.orders:r", "shop.orders_pkey:i"),
        db.column("SELECT n.nspname || '.' || c.relname || ':' || c.relkind::text FROM pg_class c"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('shop', 'analytics') ORDER BY 1"));
    assertEquals(0L, db.<Long>value("SELECT count(*) FROM pg_description d JOIN pg_class c ON c.oid = d.objoid"
        + " WHERE c.relname = 'daily_sales'"));
  }

  @Test
  void namesThatNeedQuotingRoundTrip(TestDatabase db) throws Exception {
    db.execute("CREATE SCHEMA \"Mixed Schema\"");
    List<String> names = List.of("Order Totals", "select", "ünïcode", "say \"hi\"", "1st",
        "x\"; DROP TABLE shop.orders; --");
    List<ViewDefinition> views = new ArrayList<>();
    for (String name : names) {
      views.add(ViewDefinition.materializedView(dev.mview.model.QualifiedName.of("Mixed Schema", name),
              "SELECT 1 AS \"Key Column\", 'x' AS \"from\"")
          .index(IndexDefinition.unique("Key Column")).comment("it's \"" + name + "\"").build());
    }
    ViewModel model = ViewModel.of(views);
    try (Connection connection = db.connect()) {
      Planner.create(model).execute(connection);
    }
    assertEquals(names.stream().sorted().toList(),
        db.column("SELECT matviewname FROM pg_matviews WHERE schemaname = 'Mixed Schema' ORDER BY matviewname COLLATE \"C\""));
    for (String name : names) {
      String quoted = dev.mview.sql.Identifiers.quote(name);
      assertEquals(db.value("SELECT quote_ident(?)", name), quoted);
      assertEquals(1, db.<Number>value("SELECT \"Key Column\" FROM \"Mixed Schema\"." + quoted).intValue());
      assertEquals("it's \"" + name + "\"",
          db.value("SELECT obj_description(format('%I.%I', 'Mixed Schema', ?::text)::regclass, 'pg_class')", name));
    }
    try (Connection connection = db.connect()) {
      Planner.drop(model).execute(connection);
    }
    assertEquals(0L, db.<Long>value("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE n.nspname = 'Mixed Schema'"));
    assertEquals(1000L, db.<Long>value("SELECT count(*) FROM shop.orders"), "a hostile name stays a name");
  }

  @Test
  void aBrokenDefinitionLeavesNothingBehindAndNamesTheView(TestDatabase db) throws Exception {
    ViewModel model = ViewModel.of(
        ViewDefinition.materializedView("shop.good", "SELECT id FROM shop.orders").build(),
        ViewDefinition.materializedView("shop.broken", "SELECT no_such_column FROM shop.good").build());
    MviewException e;
    try (Connection connection = db.connect()) {
      e = assertThrows(MviewException.class, () -> Planner.create(model).execute(connection));
      assertTrue(connection.getAutoCommit(), "the connection is handed back in auto-commit mode");
    }
    assertTrue(e.getMessage().startsWith("could not create shop.broken: new materialized view, reads shop.good\n"),
        e.getMessage());
    assertTrue(e.getMessage().contains("no_such_column"), e.getMessage());
    assertEquals(List.of(), db.column("SELECT relname FROM pg_class WHERE relname IN ('good', 'broken')"));
  }

  @Test
  void insideACallersTransactionAFailureRollsBackOnlyThePlan(TestDatabase db) throws Exception {
    ViewModel model = ViewModel.of(ViewDefinition.materializedView("shop.bad", "SELECT nope FROM shop.orders").build());
    try (Connection connection = db.connect()) {
      connection.setAutoCommit(false);
      try (var statement = connection.createStatement()) {
        statement.execute("CREATE TABLE shop.kept (id int)");
      }
      assertThrows(MviewException.class, () -> Planner.create(model).execute(connection));
      connection.commit();
    }
    assertEquals(List.of("kept"), db.column("SELECT relname FROM pg_class WHERE relname IN ('kept', 'bad')"));
    db.execute("DROP TABLE shop.kept");
  }

  @Test
  void quotingAgreesWithTheServersKeywordList(TestDatabase db) {
    List<String> extra = new ArrayList<>();
    for (Map<String, Object> row : db.rows("SELECT word, quote_ident(word) AS quoted FROM pg_get_keywords()")) {
      String word = (String) row.get("word");
      String ours = dev.mview.sql.Identifiers.quote(word);
      if (!ours.equals(row.get("quoted"))) {
        assertEquals(word, row.get("quoted"), "the server quotes " + word + " but mview does not");
        extra.add(word);
      }
    }
    // Keywords that became reserved in a later PostgreSQL than the one under test may be quoted extra.
    List<String> newerKeywords = List.of("system_user", "json", "json_array", "json_arrayagg", "json_exists",
        "json_object", "json_objectagg", "json_query", "json_scalar", "json_serialize", "json_table",
        "json_value", "merge_action");
    assertTrue(newerKeywords.containsAll(extra), "mview quotes more than it needs: " + extra);
    if (db.majorVersion() >= 18) {
      assertEquals(List.of(), extra);
    }
  }
}
