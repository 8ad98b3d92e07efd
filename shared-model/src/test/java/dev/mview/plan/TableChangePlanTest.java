package dev.mview.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mview.MviewException;
import dev.mview.catalog.Catalog;
import dev.mview.catalog.LiveViews;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Plans around table changes, from a catalog given as values: s.totals and s.big read
 * shop.orders.amount, s.report reads s.totals, s.notes reads only shop.orders.note.
 */
class TableChangePlanTest {
  private static final QualifiedName ORDERS = QualifiedName.of("shop", "orders");
  private static final QualifiedName TOTALS = QualifiedName.of("s", "totals");
  private static final QualifiedName BIG = QualifiedName.of("s", "big");
  private static final QualifiedName REPORT = QualifiedName.of("s", "report");
  private static final QualifiedName NOTES = QualifiedName.of("s", "notes");

  private static Catalog catalog() {
    return Catalog.builder().currentUser("migrator").superuser(true)
        .view(LiveViews.materialized("s.totals", " SELECT sum(orders.amount) AS total FROM shop.orders;", "total")
            .oid(1).index("totals_by_hand", false, "total").grant("reader", "SELECT").build())
        .view(LiveViews.view("s.big", " SELECT orders.id FROM shop.orders WHERE orders.amount > 100;", "id").oid(2)
            .build())
        .view(LiveViews.view("s.report", " SELECT totals.total FROM s.totals;", "total").oid(3).owner("reports")
            .build())
        .view(LiveViews.view("s.notes", " SELECT orders.note FROM shop.orders;", "note").oid(4).build())
        .columnEdge(TOTALS, ORDERS, "amount")
        .columnEdge(BIG, ORDERS, "id").columnEdge(BIG, ORDERS, "amount")
        .columnEdge(REPORT, TOTALS, "total")
        .columnEdge(NOTES, ORDERS, "note")
        .build();
  }

  private static Plan plan(TableChange change, ViewModel model) {
    return Reconciler.planTableChange(change, model, catalog(), Map.of(), ReconcileOptions.defaults());
  }

  private static List<String> headings(Plan plan) {
    return plan.steps().stream().map(Step::heading).toList();
  }

  @Test
  void aTypeChangeRebuildsTheReadersOfThatColumnAndWhatReadsThem() {
    Plan plan = plan(TableChange.builder().statement("ALTER TABLE shop.orders ALTER COLUMN amount TYPE numeric(12,2)")
        .reverse("ALTER TABLE shop.orders ALTER COLUMN amount TYPE numeric(10,2)").build(), ViewModel.of());

    assertEquals(List.of(
        "drop s.report: depends on s.totals, which changed; recreated below",
        "drop s.totals: reads shop.orders.amount, whose type changes; recreated below",
        "drop s.big: reads shop.orders.amount, whose type changes; recreated below",
        "change table shop.orders: views rebuilt around it: s.big, s.report, s.totals",
        "recreate s.big: reads shop.orders.amount, whose type changes",
        "recreate s.totals: reads shop.orders.amount, whose type changes",
        "recreate s.report: depends on s.totals, which changed"), headings(plan));
    assertEquals("""
        -- recreate s.totals: reads shop.orders.amount, whose type changes
        CREATE MATERIALIZED VIEW s.totals AS
        SELECT sum(orders.amount) AS total FROM shop.orders
        WITH DATA;
        CREATE INDEX totals_by_hand ON s.totals USING btree (total);
        GRANT SELECT ON s.totals TO reader;
        """, Plan.of(List.of(plan.steps().get(5))).toScript().strip().replace("\n\n", "\n") + "\n");
    assertEquals(List.of("drop s.report", "drop s.totals", "drop s.big", "change table shop.orders", "create s.big",
        "create s.totals", "create s.report"),
        plan.inverse().steps().stream().map(step -> step.action().label() + " " + step.view()).toList());
    assertEquals(List.of("ALTER TABLE shop.orders ALTER COLUMN amount TYPE numeric(10,2)"),
        plan.inverse().steps().get(3).statements());
  }

  @Test
  void aRenameANewColumnOrAnIndexRebuildsNothing() {
    Plan plan = plan(TableChange.of("ALTER TABLE shop.orders RENAME COLUMN amount TO price",
        "ALTER TABLE shop.orders ADD COLUMN paid boolean", "CREATE INDEX ON shop.orders (price)"), ViewModel.of());

    assertEquals(List.of("change table shop.orders: no view reads what it changes"), headings(plan));
    MviewException e = assertThrows(MviewException.class, plan::inverse);
    assertEquals(MviewException.Kind.IRREVERSIBLE, e.kind());
  }

  @Test
  void aColumnRenamedEarlierInTheChangeIsFollowed() {
    Plan plan = plan(TableChange.of("ALTER TABLE shop.orders RENAME COLUMN note TO remark",
        "ALTER TABLE shop.orders ALTER COLUMN remark TYPE varchar(200)"), ViewModel.of());

    assertEquals(List.of("drop s.notes", "change table shop.orders", "recreate s.notes"),
        plan.steps().stream().map(step -> step.action().label() + " " + step.view()).toList());
  }

  @Test
  void droppingAColumnAViewReadsFailsNamingBoth() {
    MviewException e = assertThrows(MviewException.class,
        () -> plan(TableChange.of("ALTER TABLE shop.orders DROP COLUMN amount"), ViewModel.of()));

    assertEquals(MviewException.Kind.HAS_DEPENDENTS, e.kind());
    assertEquals("cannot drop a column that views read: s.big reads shop.orders.amount; s.totals reads"
        + " shop.orders.amount. Their definitions would no longer work once it is gone. Redeclare s.big, s.totals"
        + " without it in the same release (or drop those views there). Nothing was changed.", e.getMessage());
  }

  @Test
  void aRedeclaredReaderTakesItsNewDefinition() {
    ViewModel model = ViewModel.of(ViewDefinition.view("s.notes", "SELECT id FROM shop.orders").build());
    Plan plan = Reconciler.planTableChange(TableChange.of("ALTER TABLE shop.orders DROP COLUMN note"), model,
        catalog(), Map.of(NOTES, new ChangeDetector.Probe(" SELECT orders.id FROM shop.orders;", List.of("id"),
            Map.of(), null, false)), ReconcileOptions.defaults());

    assertEquals(List.of(
        "drop s.notes: to be replaced: definition changed",
        "change table shop.orders: views rebuilt around it: s.notes",
        "create s.notes: definition changed"), headings(plan));
    assertEquals(List.of("CREATE VIEW s.notes AS\nSELECT id FROM shop.orders"), plan.steps().get(2).statements());
  }

  @Test
  void aStatementItCannotReadNeedsTheRelationsNamed() {
    MviewException e = assertThrows(MviewException.class,
        () -> plan(TableChange.of("UPDATE shop.orders SET amount = 0"), ViewModel.of()));
    assertEquals("mview cannot tell which columns table change statement 1 (UPDATE shop.orders SET amount = 0)"
        + " changes: name the relations it changes, and every view reading them is rebuilt. Nothing was changed.",
        e.getMessage());

    Plan plan = plan(TableChange.builder().statement("SELECT my_migration()").relation("shop.orders").build(),
        ViewModel.of());
    assertEquals(List.of("drop s.report", "drop s.totals", "drop s.notes", "drop s.big", "change table shop.orders",
            "recreate s.big", "recreate s.notes", "recreate s.totals", "recreate s.report"),
        plan.steps().stream().map(step -> step.action().label() + " " + step.view()).toList());
    assertEquals("change table shop.orders: views rebuilt around it: s.big, s.notes, s.report, s.totals; statement 1"
        + " is not read by mview", plan.steps().get(4).heading());
  }

  @Test
  void eachStatementMustBeOne() {
    MviewException e = assertThrows(MviewException.class,
        () -> TableChange.of("ALTER TABLE shop.orders ADD COLUMN a int; DROP TABLE shop.orders"));
    assertEquals(MviewException.Kind.INVALID_DECLARATION, e.kind());
    assertEquals("table change statement 1 (ALTER TABLE shop.orders ADD COLUMN a int; DROP TABLE shop...)"
        + " contains ';': it must be a single SQL statement (give each statement on its own); remove the ';' and"
        + " anything after it", e.getMessage());
  }
}
