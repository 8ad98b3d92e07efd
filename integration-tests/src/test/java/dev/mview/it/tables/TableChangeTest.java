package dev.mview.it.tables;

import static dev.mview.it.tables.ViewsOverOrders.NARROW;
import static dev.mview.it.tables.ViewsOverOrders.WIDEN;
import static dev.mview.it.tables.ViewsOverOrders.columnType;
import static dev.mview.it.tables.ViewsOverOrders.oid;
import static dev.mview.it.tables.ViewsOverOrders.snapshot;
import static dev.mview.it.tables.ViewsOverOrders.widened;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.MviewException;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import dev.mview.plan.Plan;
import dev.mview.plan.ReconcileOptions;
import dev.mview.plan.Reconciler;
import dev.mview.plan.TableChange;
import java.math.BigDecimal;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Table changes under views through the Java API, on {@link ViewsOverOrders}. */
@ExtendWith(PostgresExtension.class)
class TableChangeTest {
  @BeforeEach
  void schema(TestDatabase db) throws Exception {
    ViewsOverOrders.create(db);
  }

  private static Plan plan(TestDatabase db, TableChange change, ViewModel model) throws Exception {
    try (Connection connection = db.connect()) {
      return Reconciler.planTableChange(connection, change, model, ReconcileOptions.defaults());
    }
  }

  private static void execute(TestDatabase db, Plan plan) throws Exception {
    try (Connection connection = db.connect()) {
      plan.execute(connection);
    }
  }

  private static List<String> steps(Plan plan) {
    return plan.steps().stream().map(step -> step.action().label() + " " + step.view()).toList();
  }

  @Test
  void wideningAColumnRebuildsExactlyItsReadersWithEverythingKept(TestDatabase db) throws Exception {
    List<String> before = snapshot(db);
    long notes = oid(db, "t.notes");
    long customers = oid(db, "t.customers");
    long report = oid(db, "t.report");
    db.execute("INSERT INTO t.orders VALUES (4, 'cy', 99999999.99, null)");

    Plan plan = plan(db, TableChange.of(WIDEN), ViewModel.of());

    assertEquals(List.of("drop t.report", "drop t.totals", "drop t.big_count", "drop t.big_orders",
        "change table t.orders", "recreate t.big_orders", "recreate t.big_count", "recreate t.totals",
        "recreate t.report"), steps(plan));
    assertTrue(plan.toScript().contains("-- change table t.orders: views rebuilt around it: t.big_count, t.big_orders,"
        + " t.report, t.totals\n" + WIDEN + ";\n"), plan.toScript());
    execute(db, plan);

    assertEquals(widened(before), snapshot(db), "everything but the type is as it was");
    assertEquals("numeric(12,2)", columnType(db, "t.big_orders", "amount"));
    assertEquals(notes, oid(db, "t.notes"), "t.notes reads no amount: untouched");
    assertEquals(customers, oid(db, "t.customers"), "t.customers reads no amount: untouched");
    assertNotEquals(report, oid(db, "t.report"), "t.report was rebuilt");
    db.execute("INSERT INTO t.orders VALUES (5, 'cy', 1234567890.12, null)");
    db.execute("REFRESH MATERIALIZED VIEW t.totals", "REFRESH MATERIALIZED VIEW t.report");
    assertEquals(new BigDecimal("1334567890.11"), db.value("SELECT total FROM t.report WHERE customer = 'cy'"));
    assertEquals(2L, db.<Number>value("SELECT big FROM t.report WHERE customer = 'cy'").longValue());
  }

  @Test
  void theReadmeExample(TestDatabase db) throws Exception {
    List<String> before = snapshot(db);
    ViewModel model = ViewsOverOrders.model();
    try (Connection connection = db.connect()) {
      TableChange change = TableChange.builder()
          .statement("ALTER TABLE t.orders ALTER COLUMN amount TYPE numeric(12,2)")
          .reverse("ALTER TABLE t.orders ALTER COLUMN amount TYPE numeric(10,2)")
          .build();
      Plan plan = Reconciler.planTableChange(connection, change, model, ReconcileOptions.defaults());
      System.out.print(plan.toScript());          // drops, the change, recreates: each says why
      plan.execute(connection);                   // one transaction (a savepoint inside the caller's)
      assertEquals(widened(before), snapshot(db));
      plan.inverse().execute(connection);         // the reverse statements, with the same views rebuilt
    }
    assertEquals(before, snapshot(db));
  }

  @Test
  void theInverseGivesTheOldTypeBackWithEveryViewKept(TestDatabase db) throws Exception {
    List<String> before = snapshot(db);
    Plan plan = plan(db, TableChange.builder().statement(WIDEN).reverse(NARROW).build(), ViewModel.of());
    execute(db, plan);
    db.execute("GRANT SELECT ON t.big_count TO tables_reader");

    execute(db, plan.inverse());

    List<String> after = snapshot(db);
    assertEquals("numeric(10,2)", columnType(db, "t.big_orders", "amount"));
    assertEquals(before.stream().filter(line -> !line.startsWith("t.big_count ")).toList(),
        after.stream().filter(line -> !line.startsWith("t.big_count ")).toList());
  }

  @Test
  void renamingAColumnRebuildsNothingAndTheViewsFollow(TestDatabase db) throws Exception {
    Map<String, Long> oids = Map.of("t.report", oid(db, "t.report"), "t.big_orders", oid(db, "t.big_orders"),
        "t.totals", oid(db, "t.totals"));

    Plan plan = plan(db, TableChange.of("ALTER TABLE t.orders RENAME COLUMN amount TO price",
        "ALTER TABLE t.orders ADD COLUMN paid boolean NOT NULL DEFAULT false",
        "CREATE INDEX orders_price ON t.orders (price)"), ViewModel.of());

    assertEquals(List.of("change table t.orders"), steps(plan));
    execute(db, plan);
    oids.forEach((relation, oid) -> assertEquals(oid, oid(db, relation), relation + " kept"));
    assertTrue(db.<String>value("SELECT pg_get_viewdef('t.big_orders'::regclass)").contains("price"));
    assertEquals(2L, db.<Number>value("SELECT count(*) FROM t.big_orders").longValue());
  }

  @Test
  void droppingAColumnAViewReadsFailsNamingThemWithNothingChanged(TestDatabase db) throws Exception {
    List<String> before = snapshot(db);

    MviewException e = assertThrows(MviewException.class,
        () -> plan(db, TableChange.of("ALTER TABLE t.orders DROP COLUMN note"), ViewModel.of()));

    assertEquals(MviewException.Kind.HAS_DEPENDENTS, e.kind());
    assertEquals("cannot drop a column that views read: t.notes reads t.orders.note. Their definitions would no longer"
        + " work once it is gone. Redeclare t.notes without it in the same release (or drop that view there)."
        + " Nothing was changed.", e.getMessage());
    assertEquals(before, snapshot(db));
  }

  @Test
  void droppingAColumnWorksWhenTheSameReleaseRedeclaresItsReaders(TestDatabase db) throws Exception {
    long totals = oid(db, "t.totals");
    ViewModel model = ViewModel.of(ViewDefinition.view("t.notes", "SELECT id, upper(customer) AS who FROM t.orders")
        .build());

    Plan plan = plan(db, TableChange.of("ALTER TABLE t.orders DROP COLUMN note"), model);

    assertEquals(List.of("drop t.notes", "change table t.orders", "create t.notes"), steps(plan));
    execute(db, plan);
    assertEquals(List.of("id", "who"), db.column("SELECT attname::text FROM pg_attribute WHERE attrelid ="
        + " 't.notes'::regclass AND attnum > 0 ORDER BY attnum"));
    assertEquals(0L, db.<Number>value("SELECT count(*) FROM information_schema.columns WHERE table_schema = 't'"
        + " AND table_name = 'orders' AND column_name = 'note'").longValue());
    assertEquals(totals, oid(db, "t.totals"));
  }

  @Test
  void aCapturedDefinitionThatNoLongerWorksRollsEverythingBack(TestDatabase db) throws Exception {
    List<String> before = snapshot(db);
    Plan plan = plan(db, TableChange.of("ALTER TABLE t.orders ALTER COLUMN amount TYPE text"), ViewModel.of());

    MviewException e = assertThrows(MviewException.class, () -> execute(db, plan));

    assertEquals(MviewException.Kind.STATEMENT_FAILED, e.kind());
    assertTrue(e.getMessage().startsWith("could not recreate t.big_orders: reads t.orders.amount, whose type changes\n"),
        e.getMessage());
    assertEquals(before, snapshot(db), "nothing changed");
  }

  @Test
  void insideAHostTransactionItRunsUnderASavepoint(TestDatabase db) throws Exception {
    List<String> before = snapshot(db);
    try (Connection connection = db.connect()) {
      connection.setAutoCommit(false);
      Plan plan = Reconciler.planTableChange(connection, TableChange.of(WIDEN));
      plan.execute(connection);
      connection.rollback();
    }
    assertEquals(before, snapshot(db), "the host rolled back; so did the change");
  }

  @Test
  void aStatementMviewCannotReadRebuildsEveryViewOfTheNamedRelation(TestDatabase db) throws Exception {
    List<String> before = snapshot(db);
    long customers = oid(db, "t.customers");
    TableChange change = TableChange.builder()
        .statement("DO $$ BEGIN EXECUTE 'ALTER TABLE t.orders ALTER COLUMN amount TYPE numeric(12,2)'; END $$")
        .relation("t.orders").build();

    execute(db, plan(db, change, ViewModel.of()));

    assertEquals(widened(before), snapshot(db));
    assertNotEquals(customers, oid(db, "t.customers"), "every reader of t.orders was rebuilt");
  }
}
