package dev.mview.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mview.MviewException;
import dev.mview.catalog.Catalog;
import dev.mview.catalog.Grant;
import dev.mview.catalog.LiveIndex;
import dev.mview.catalog.LiveView;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewKind;
import dev.mview.model.ViewModel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What undoing a plan means as a redefinition, decided from the plan and the catalog it came from. */
class ReversalTest {
  private static final QualifiedName DAILY = QualifiedName.of("Sales \"Data\"", "daily\nsales");
  private static final QualifiedName WEEKLY = QualifiedName.parse("s.weekly");
  private static final QualifiedName OLD = QualifiedName.parse("s.old");
  private static final QualifiedName FRESH = QualifiedName.parse("s.fresh");

  /** daily (replaced), weekly (reads it: rebuilt), old (dropped); fresh is created. */
  private static Catalog before() {
    LiveView daily = new LiveView(DAILY, 1, ViewKind.MATERIALIZED_VIEW, " SELECT t.day\n   FROM s.t\n  WHERE t.note = '$$ -- ''x''';",
        true, "app", null, Map.of("fillfactor", "70"), "it's\r\ndaily", List.of("day"), Map.of("day", "the day"),
        List.of(new LiveIndex("daily_day_key", "CREATE UNIQUE INDEX daily_day_key ON x", true, false, List.of("day"), "btree",
                null, null),
            new LiveIndex("daily_expr", "CREATE INDEX daily_expr ON \"Sales \"\"Data\"\"\".\"daily\nsales\" USING btree (lower(day::text))",
                false, false, List.of(), "btree", null, null)),
        List.of(new Grant("reader", "SELECT", null, false, "app")), null, List.of());
    LiveView weekly = new LiveView(WEEKLY, 2, ViewKind.MATERIALIZED_VIEW, " SELECT d.day\n   FROM \"Sales \"\"Data\"\"\".\"daily\nsales\" d;",
        true, "app", null, Map.of(), null, List.of("day"), Map.of(), List.of(), List.of(), null, List.of());
    LiveView old = new LiveView(OLD, 3, ViewKind.VIEW, " SELECT 1 AS one;", true, "boss", null, Map.of(), null,
        List.of("one"), Map.of(), List.of(), List.of(new Grant(null, "SELECT", null, false, "boss")), null, List.of());
    return Catalog.builder().currentUser("app").view(daily).view(weekly).view(old).edge(WEEKLY, DAILY).build();
  }

  private static Plan plan(Catalog before) {
    ViewModel model = ViewModel.of(
        ViewDefinition.materializedView(DAILY, "SELECT day, 1 AS n FROM s.t").build(),
        ViewDefinition.materializedView(FRESH, "SELECT 2 AS two").build());
    return Reconciler.plan(model, before, Map.of(
            DAILY, new ChangeDetector.Probe(" SELECT t.day, 1 AS n\n   FROM s.t;", List.of("day", "n"), Map.of(), null, false),
            FRESH, new ChangeDetector.Probe(null, null, Map.of(), null, false)),
        ReconcileOptions.builder().drop(OLD).build());
  }

  @Test
  void replacedAndDroppedViewsAreDefinedBackAndCreatedOnesDropped() {
    Reversal reversal = Reversal.of(before(), plan(before()));

    assertEquals(Set.of(FRESH), reversal.created());
    assertEquals(List.of(OLD, DAILY), reversal.earlier().views().stream().map(ViewDefinition::name).toList(),
        "weekly, only rebuilt, is rebuilt again by the rollback from what it is then");
    ViewDefinition daily = reversal.earlier().view(DAILY).orElseThrow();
    assertEquals("SELECT t.day\n   FROM s.t\n  WHERE t.note = '$$ -- ''x'''", daily.query());
    assertEquals(Map.of("fillfactor", "70"), daily.storageParameters());
    assertEquals("it's\r\ndaily", daily.comment().orElseThrow());
    assertEquals("[unique index daily_day_key on [day]]", daily.indexes().toString(), "the index on an expression is replayed instead");
    assertEquals(List.of(
            "CREATE INDEX daily_expr ON \"Sales \"\"Data\"\"\".\"daily\nsales\" USING btree (lower(day::text))",
            "ALTER MATERIALIZED VIEW \"Sales \"\"Data\"\"\".\"daily\nsales\" OWNER TO app",
            "COMMENT ON COLUMN \"Sales \"\"Data\"\"\".\"daily\nsales\".day IS 'the day'",
            "GRANT SELECT ON \"Sales \"\"Data\"\"\".\"daily\nsales\" TO reader"),
        reversal.restoring().get(DAILY));
    assertEquals(List.of("ALTER VIEW s.old OWNER TO boss", "GRANT SELECT ON s.old TO PUBLIC"), reversal.restoring().get(OLD));
  }

  @Test
  void itsTextFormGivesBackTheSameReversal() {
    Reversal reversal = Reversal.of(before(), plan(before()));

    assertEquals(reversal, Reversal.decode(reversal.encode()));
  }

  @Test
  void aTableChangeIsUndoneByItsReverseStatementsOrNotAtAll() {
    Catalog catalog = Catalog.builder().currentUser("app")
        .view(new LiveView(WEEKLY, 2, ViewKind.VIEW, " SELECT t.day FROM s.t;", true, "app", null, Map.of(), null,
            List.of("day"), Map.of(), List.of(), List.of(), null, List.of()))
        .columnEdge(WEEKLY, QualifiedName.parse("s.t"), "day").build();
    TableChange change = TableChange.builder().statement("ALTER TABLE s.t ALTER COLUMN day TYPE timestamptz")
        .reverse("ALTER TABLE s.t ALTER COLUMN day TYPE date").build();

    Reversal reversal = Reversal.of(catalog, Reconciler.planTableChange(change, ViewModel.of(), catalog, Map.of(),
        ReconcileOptions.defaults()));

    assertEquals(change.inverse(), reversal.tableChange().orElseThrow());
    assertEquals(reversal, Reversal.decode(reversal.encode()));
    Reversal oneWay = Reversal.of(catalog, Reconciler.planTableChange(
        TableChange.of("ALTER TABLE s.t ALTER COLUMN day TYPE timestamptz"), ViewModel.of(), catalog, Map.of(),
        ReconcileOptions.defaults()));
    assertEquals("its table change (ALTER TABLE s.t ALTER COLUMN day TYPE timestamptz) was given no reverse"
        + " statements", Reversal.decode(oneWay.encode()).irreversible().orElseThrow());
    MviewException e = assertThrows(MviewException.class, () -> oneWay.plan(null));
    assertEquals(MviewException.Kind.IRREVERSIBLE, e.kind());
  }

  @Test
  void textThatIsNotAReversalIsRefused() {
    MviewException e = assertThrows(MviewException.class, () -> Reversal.decode("format=something else\n"));

    assertEquals("the text is not an mview reversal: format is 'something else', expected mview-reversal-1", e.getMessage());
  }
}
