package dev.mview.it.liquibase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yaml.snakeyaml.Yaml;

/** {@code snapshot} lists the materialized views with their indexes, as text and as JSON. */
@ExtendWith(PostgresExtension.class)
class SnapshotCommandTest {
  private static final String TYPE = "dev.mview.liquibase.snapshot.MaterializedView";

  @BeforeAll
  static void schema(TestDatabase db) {
    ViewsAroundTables.create(db, "amount < 1000");
  }

  @Test
  void textListsEachMaterializedViewWithItsIndexes(TestDatabase db) throws Exception {
    String text = ViewsAroundTables.likePg16(db, DiffCommands.snapshot(db, "txt"));

    assertTrue(text.contains("Included types:\n    " + TYPE + "\n"), text);
    assertTrue(text.contains(lines(
        "        daily",
        "            definition: SELECT ordered_on AS day,",
        "                sum(amount) AS total,",
        "                count(*) AS orders",
        "               FROM public.paid_orders",
        "              WHERE (amount < (1000)::numeric)",
        "              GROUP BY ordered_on",
        "            indexes: [CREATE UNIQUE INDEX daily_day_key ON public.daily USING btree (day),"
            + " CREATE INDEX daily_total_idx ON public.daily USING btree (total DESC)]",
        "            populated: true",
        "            remarks: Paid sales per day")), text);
    assertTrue(text.contains(lines(
        "        Customer \"Totals\" é",
        "            columnRemarks: {total=it's the sum}")), text);
    assertTrue(text.contains(lines(
        "            populated: false",
        "            storageParameters: [fillfactor=70]")), text);
  }

  private static String lines(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  @Test
  void jsonHoldsEveryMaterializedViewWithItsIndexesAndOptions(TestDatabase db) throws Exception {
    Map<String, Object> snapshot = new Yaml().load(DiffCommands.snapshot(db, "json"));

    Map<String, Map<String, Object>> views = new TreeMap<>();
    for (Object entry : (List<?>) objects(snapshot).get(TYPE)) {
      Map<String, Object> view = map(map(entry).get("materializedView"));
      views.put((String) view.get("name"), view);
    }
    assertEquals(List.of(ViewsAroundTables.CUSTOMER_TOTALS, ViewsAroundTables.TOP_WEEKS, "best_weeks", "daily", "lonely",
        "weekly"), List.copyOf(views.keySet()));
    assertEquals(List.of("CREATE UNIQUE INDEX daily_day_key ON public.daily USING btree (day)",
        "CREATE INDEX daily_total_idx ON public.daily USING btree (total DESC)"), views.get("daily").get("indexes"));
    assertEquals(List.of("CREATE UNIQUE INDEX \"by Customer\" ON public.\"Customer \"\"Totals\"\" é\" USING btree (customer)"),
        views.get(ViewsAroundTables.CUSTOMER_TOTALS).get("indexes"));
    assertEquals(Map.of("total", "it's the sum"), views.get(ViewsAroundTables.CUSTOMER_TOTALS).get("columnRemarks"));
    Map<String, Object> best = views.get("best_weeks");
    assertEquals(false, best.get("populated"));
    assertEquals(List.of("fillfactor=70"), best.get("storageParameters"));
    assertEquals(List.of("CREATE INDEX best_weeks_big ON public.best_weeks USING btree (week) WHERE (total > (100)::numeric)"),
        best.get("indexes"));
    assertEquals("SELECT 1 AS one", views.get("lonely").get("definition"));
  }

  private static Map<String, Object> objects(Map<String, Object> snapshot) {
    return map(map(snapshot.get("snapshot")).get("objects"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }
}
