package dev.mview.liquibase.internal.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mview.catalog.LiveIndex;
import dev.mview.catalog.LiveView;
import dev.mview.liquibase.snapshot.MaterializedView;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.database.core.PostgresDatabase;
import liquibase.diff.Difference;
import liquibase.diff.ObjectDifferences;
import liquibase.diff.compare.CompareControl;
import liquibase.diff.output.DiffOutputControl;
import liquibase.serializer.core.xml.XMLChangeLogSerializer;
import liquibase.structure.core.Schema;
import org.junit.jupiter.api.Test;

/** The changes a live materialized view becomes, with no database: exact serialized XML. */
class MaterializedViewChangesTest {
  private static final QualifiedName NAME = QualifiedName.of("s", "Daily \"Sales\"");
  private static final String ON = " ON s.\"Daily \"\"Sales\"\"\" USING btree ";
  private static final LiveIndex KEY = new LiveIndex("Daily \"Sales\"_day_key",
      "CREATE UNIQUE INDEX \"Daily \"\"Sales\"\"_day_key\"" + ON + "(day)", true, false, List.of("day"), "btree", null, null);
  private static final LiveIndex BY_TOTAL = new LiveIndex("by_total", "CREATE INDEX by_total" + ON + "(total DESC)", false,
      false, List.of("total"), "btree", null, "fast");
  private static final LiveIndex OTHER_KEY = new LiveIndex("total_key", "CREATE UNIQUE INDEX total_key" + ON + "(total)",
      true, false, List.of("total"), "btree", null, null);

  private static LiveView live(List<LiveIndex> indexes) {
    return new LiveView(NAME, 42, ViewKind.MATERIALIZED_VIEW, " SELECT day,\n    total\n   FROM s.t;", false, "owner", "fast",
        Map.of("fillfactor", "70"), "it's per day", List.of("day", "total"), Map.of("total", "the sum"), indexes, List.of(),
        null, List.of());
  }

  private static MaterializedView view(List<LiveIndex> indexes) {
    return MaterializedView.of(live(indexes), new Schema("db", "s"));
  }

  @Test
  void aMissingViewIsItsCreateThenTheSqlItsDeclarationCannotCarry() {
    Change[] changes = MaterializedViewChanges.create(view(List.of(BY_TOTAL, KEY)), new DiffOutputControl(false, false, false, null),
        new PostgresDatabase());

    assertEquals(List.of(
        "<mview:createMaterializedView comment=\"it's per day\" schemaName=\"s\" uniqueKey=\"day\""
            + " viewName=\"Daily &quot;Sales&quot;\" withData=\"false\">SELECT day,\n    total\n   FROM s.t</mview:createMaterializedView>",
        "<sql splitStatements=\"false\" stripComments=\"false\">CREATE INDEX by_total" + ON + "(total DESC)</sql>",
        "<sql splitStatements=\"false\" stripComments=\"false\">ALTER MATERIALIZED VIEW s.\"Daily \"\"Sales\"\"\" SET"
            + " (fillfactor = 70)</sql>",
        "<sql splitStatements=\"false\" stripComments=\"false\">COMMENT ON COLUMN s.\"Daily \"\"Sales\"\"\".total IS"
            + " 'the sum'</sql>"), xml(changes));
  }

  @Test
  void tablespacesComeWhenTheRunIncludesThem() {
    Change[] changes = MaterializedViewChanges.create(view(List.of(BY_TOTAL)), new DiffOutputControl(true, true, true, null),
        new PostgresDatabase());

    assertEquals(List.of(
        "<mview:createMaterializedView catalogName=\"db\" comment=\"it's per day\" schemaName=\"s\" tablespace=\"fast\""
            + " viewName=\"Daily &quot;Sales&quot;\" withData=\"false\">SELECT day,\n    total\n   FROM s.t</mview:createMaterializedView>",
        "<sql splitStatements=\"false\" stripComments=\"false\">CREATE INDEX by_total" + ON + "(total DESC) TABLESPACE fast</sql>",
        "<sql splitStatements=\"false\" stripComments=\"false\">ALTER MATERIALIZED VIEW s.\"Daily \"\"Sales\"\"\" SET"
            + " (fillfactor = 70)</sql>",
        "<sql splitStatements=\"false\" stripComments=\"false\">COMMENT ON COLUMN s.\"Daily \"\"Sales\"\"\".total IS"
            + " 'the sum'</sql>"), xml(changes));
  }

  @Test
  void theUniqueKeyIsAnIndexUniqueKeyWouldCreateUnderItsOwnName() {
    assertEquals(Optional.of("day"), MaterializedViewChanges.uniqueKey(live(List.of(OTHER_KEY, KEY))));
    assertEquals(Optional.empty(), MaterializedViewChanges.uniqueKey(live(List.of(OTHER_KEY))), "not the name uniqueKey gives");
    LiveIndex comma = new LiveIndex("Daily \"Sales\"_a,b_key", "CREATE UNIQUE INDEX \"Daily \"\"Sales\"\"_a,b_key\"" + ON
        + "(\"a,b\")", true, false, List.of("a,b"), "btree", null, null);
    assertEquals(Optional.empty(), MaterializedViewChanges.uniqueKey(live(List.of(comma))), "a column uniqueKey cannot list");
  }

  @Test
  void aChangedViewIsAReplaceAndWhatTheReconcileKeepsThatTheReferenceHasNot() {
    MaterializedView existing = MaterializedView.of(new LiveView(NAME, 7, ViewKind.MATERIALIZED_VIEW, " SELECT 1;", true, "o",
        null, Map.of(), null, List.of("day", "total"), Map.of("day", "old"), List.of(OTHER_KEY), List.of(), null, List.of()),
        new Schema("db", "s"));

    Change[] changes = MaterializedViewChanges.replace(view(List.of(KEY)), existing, new DiffOutputControl(false, false, false, null),
        new PostgresDatabase());

    assertEquals(List.of(
        "<mview:createMaterializedView comment=\"it's per day\" replaceIfExists=\"true\" schemaName=\"s\" uniqueKey=\"day\""
            + " viewName=\"Daily &quot;Sales&quot;\" withData=\"false\">SELECT day,\n    total\n   FROM s.t</mview:createMaterializedView>",
        "<sql splitStatements=\"false\" stripComments=\"false\">DROP INDEX IF EXISTS s.total_key</sql>",
        "<sql splitStatements=\"false\" stripComments=\"false\">ALTER MATERIALIZED VIEW s.\"Daily \"\"Sales\"\"\" SET"
            + " (fillfactor = 70)</sql>",
        "<sql splitStatements=\"false\" stripComments=\"false\">COMMENT ON COLUMN s.\"Daily \"\"Sales\"\"\".day IS NULL</sql>",
        "<sql splitStatements=\"false\" stripComments=\"false\">COMMENT ON COLUMN s.\"Daily \"\"Sales\"\"\".total IS"
            + " 'the sum'</sql>"), xml(changes));
  }

  @Test
  void anUnexpectedViewIsADropThatToleratesACascadeBeforeIt() {
    assertEquals(List.of("<mview:dropMaterializedView ifExists=\"true\" schemaName=\"s\" viewName=\"Daily &quot;Sales&quot;\"/>"),
        xml(MaterializedViewChanges.drop(view(List.of()))));
  }

  @Test
  void twoViewsDifferInWhatAChangelogCarriesNotInWhetherTheyArePopulated() {
    MaterializedView unpopulated = view(List.of(KEY));
    LiveView live = live(List.of(KEY));
    MaterializedView populated = MaterializedView.of(new LiveView(NAME, 43, live.kind(), live.definition(), true, "other owner",
        live.tablespace(), live.options(), live.comment(), live.columns(), live.columnComments(), live.indexes(), List.of(),
        null, List.of()), new Schema("db", "s"));
    MaterializedView withoutKey = view(List.of());
    MaterializedViewComparator comparator = new MaterializedViewComparator();

    assertEquals(Set.of(), differences(comparator.findDifferences(unpopulated, populated, new PostgresDatabase(),
        new CompareControl(), null, new HashSet<>())));
    assertEquals(Set.of("indexes"), differences(comparator.findDifferences(unpopulated, withoutKey, new PostgresDatabase(),
        new CompareControl(), null, new HashSet<>())));
  }

  private static Set<String> differences(ObjectDifferences differences) {
    return differences.getDifferences().stream().map(Difference::getField).collect(Collectors.toSet());
  }

  /** Each change as Liquibase writes it to an XML changelog, one per changeset as its diff makes them. */
  private static List<String> xml(Change[] changes) {
    List<ChangeSet> changeSets = new ArrayList<>();
    for (Change change : changes) {
      ChangeSet changeSet = new ChangeSet(String.valueOf(changeSets.size()), "test", false, false, "changelog.xml", null, null,
          null);
      changeSet.addChange(change);
      changeSets.add(changeSet);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      new XMLChangeLogSerializer().write(changeSets, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher body = Pattern.compile("<changeSet [^>]*>\\s*(.*?)\\s*</changeSet>", Pattern.DOTALL)
        .matcher(out.toString(StandardCharsets.UTF_8));
    List<String> elements = new ArrayList<>();
    while (body.find()) {
      elements.add(body.group(1));
    }
    return elements;
  }
}
