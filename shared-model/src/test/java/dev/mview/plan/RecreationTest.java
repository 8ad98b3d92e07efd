package dev.mview.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mview.catalog.LiveIndex;
import dev.mview.catalog.LiveView;
import dev.mview.model.IndexDefinition;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecreationTest {
  private static final QualifiedName VIEW = QualifiedName.of("s", "Sales \"daily\"");
  private static final String ON = " ON s.\"Sales \"\"daily\"\"\" USING ";

  private static final LiveIndex KEY = index("Sales \"daily\"_day_key", true, List.of("day"), "btree (day)", null, null);
  private static final LiveIndex BY_TOTAL = index("by_total", false, List.of("total"), "btree (total)", null, null);
  private static final LiveIndex PARTIAL = index("big", false, List.of("day"), "btree (day) WHERE (total > 100)",
      "(total > 100)", null);
  private static final LiveIndex DESCENDING = index("recent", false, List.of("day"), "btree (day DESC)", null, null);
  private static final LiveIndex EXPRESSION = index("by_month", false, List.of(), "btree (date_trunc('month'::text, day))",
      null, null);
  private static final LiveIndex HASH = index("by_day_hash", false, List.of("day"), "hash (day)", null, null);
  private static final LiveIndex ELSEWHERE = index("fast", false, List.of("total"), "btree (total)", null, "ssd");

  private static LiveIndex index(String name, boolean unique, List<String> columns, String rest, String predicate,
      String tablespace) {
    String quoted = name.matches("[a-z_]+") ? name : '"' + name.replace("\"", "\"\"") + '"';
    return new LiveIndex(name, "CREATE " + (unique ? "UNIQUE " : "") + "INDEX " + quoted + ON + rest, unique,
        predicate != null, columns, rest.substring(0, rest.indexOf(' ')), predicate, tablespace);
  }

  private static LiveView view(String comment, Map<String, String> options, Map<String, String> columnComments,
      List<LiveIndex> indexes) {
    return new LiveView(VIEW, 1, ViewKind.MATERIALIZED_VIEW, " SELECT day, total FROM s.t;", true, "owner", null, options,
        comment, List.of("day", "total"), columnComments, indexes, List.of(), null, List.of());
  }

  @Test
  void anIndexIsDeclarableExactlyWhenCreatingTheDeclarationBuildsIt() {
    assertEquals(Optional.of(IndexDefinition.on("day").unique(true).name("Sales \"daily\"_day_key").build()),
        Recreation.declaration(VIEW, KEY));
    assertEquals(Optional.of(IndexDefinition.on("day").name("big").where("(total > 100)").build()),
        Recreation.declaration(VIEW, PARTIAL));
    assertEquals(Optional.of(IndexDefinition.on("day").name("by_day_hash").method("hash").build()),
        Recreation.declaration(VIEW, HASH));
    for (LiveIndex notDeclarable : List.of(DESCENDING, EXPRESSION, ELSEWHERE)) {
      assertEquals(Optional.empty(), Recreation.declaration(VIEW, notDeclarable), notDeclarable.name());
    }
  }

  @Test
  void afterCreateAddsWhatTheDeclarationDoesNotState() {
    ViewDefinition declared = ViewDefinition.materializedView(VIEW, "SELECT day, total FROM s.t")
        .index(IndexDefinition.unique("day"))
        .comment("per day")
        .build();
    Map<String, String> options = new LinkedHashMap<>();
    options.put("fillfactor", "70");
    LiveView target = view("per day", options, Map.of("total", "it's the sum"), List.of(KEY, BY_TOTAL, DESCENDING, ELSEWHERE));

    assertEquals(List.of(
        "CREATE INDEX by_total" + ON + "btree (total)",
        "CREATE INDEX recent" + ON + "btree (day DESC)",
        "CREATE INDEX fast ON s.\"Sales \"\"daily\"\"\" USING btree (total) TABLESPACE ssd",
        "ALTER MATERIALIZED VIEW s.\"Sales \"\"daily\"\"\" SET (fillfactor = 70)",
        "COMMENT ON COLUMN s.\"Sales \"\"daily\"\"\".total IS 'it''s the sum'"),
        Recreation.afterCreate(declared, target));
  }

  @Test
  void afterCreateOfAFullDeclarationAddsNothing() {
    ViewDefinition declared = ViewDefinition.materializedView(VIEW, "SELECT day, total FROM s.t")
        .index(IndexDefinition.unique("day"))
        .index(Recreation.declaration(VIEW, PARTIAL).orElseThrow())
        .build();

    assertEquals(List.of(), Recreation.afterCreate(declared, view(null, Map.of(), Map.of(), List.of(KEY, PARTIAL))));
  }

  @Test
  void afterReconcileTakesAwayWhatTheOtherDatabaseHasAndTheTargetHasNot() {
    ViewDefinition declared = ViewDefinition.materializedView(VIEW, "SELECT day, total FROM s.t").build();
    LiveView existing = view("old comment", Map.of("fillfactor", "50"), Map.of("day", "a day", "total", "sum"),
        List.of(BY_TOTAL, HASH, index("recent", false, List.of("day"), "btree (day)", null, null)));
    LiveView target = view(null, Map.of(), Map.of("total", "sum"), List.of(BY_TOTAL, DESCENDING));

    assertEquals(List.of(
        "DROP INDEX IF EXISTS s.by_day_hash",
        "DROP INDEX IF EXISTS s.recent",
        "CREATE INDEX recent" + ON + "btree (day DESC)",
        "ALTER MATERIALIZED VIEW s.\"Sales \"\"daily\"\"\" RESET (fillfactor)",
        "COMMENT ON MATERIALIZED VIEW s.\"Sales \"\"daily\"\"\" IS NULL",
        "COMMENT ON COLUMN s.\"Sales \"\"daily\"\"\".day IS NULL"),
        Recreation.afterReconcile(declared, existing, target));
  }

  @Test
  void afterReconcileOfEqualViewsAddsNothing() {
    LiveView live = view("c", Map.of("fillfactor", "50"), Map.of("day", "a day"), List.of(KEY, BY_TOTAL, ELSEWHERE));
    ViewDefinition declared = ViewDefinition.materializedView(VIEW, "SELECT day, total FROM s.t")
        .index(IndexDefinition.unique("day"))
        .comment("c")
        .build();

    assertEquals(List.of(), Recreation.afterReconcile(declared, live, live));
  }
}
