package dev.mview.it.tables;

import dev.mview.it.support.CatalogSnapshot;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.IndexDefinition;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import dev.mview.plan.Planner;
import java.sql.Connection;
import java.util.List;

/**
 * A table and a three-level DAG of views over it, for the table-change tests:
 *
 * <pre>
 * t.orders.amount &lt;- t.totals (MV, declared) &lt;------------------ t.report (MV, by hand)
 * t.orders.amount &lt;- t.big_orders (view, declared) &lt;- t.big_count (view, by hand) &lt;-/
 * t.orders.note   &lt;- t.notes (view, by hand)
 * t.orders.customer &lt;- t.customers (MV, by hand)
 * </pre>
 *
 * with grants (with grant option), column grants, comments, column comments, indexes made by hand
 * and a non-default owner.
 */
public final class ViewsOverOrders {
  private ViewsOverOrders() {}

  public static final String WIDEN = "ALTER TABLE t.orders ALTER COLUMN amount TYPE numeric(12,2)";
  public static final String NARROW = "ALTER TABLE t.orders ALTER COLUMN amount TYPE numeric(10,2)";

  /** The declared part. */
  public static ViewModel model() {
    return ViewModel.of(
        ViewDefinition.materializedView("t.totals", "SELECT customer, sum(amount) AS total FROM t.orders GROUP BY customer")
            .index(IndexDefinition.unique("customer")).comment("per customer").build(),
        ViewDefinition.view("t.big_orders", "SELECT id, customer, amount FROM t.orders WHERE amount > 100").build());
  }

  /** Creates the schema from scratch. */
  public static void create(TestDatabase db) throws Exception {
    db.execute(
        "DROP SCHEMA IF EXISTS t CASCADE",
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tables_reader') THEN"
            + " CREATE ROLE tables_reader; END IF;"
            + " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tables_owner') THEN"
            + " CREATE ROLE tables_owner; END IF; END $$",
        "CREATE SCHEMA t",
        "GRANT ALL ON SCHEMA t TO tables_owner",
        "CREATE TABLE t.orders (id int PRIMARY KEY, customer text NOT NULL, amount numeric(10,2) NOT NULL, note text)",
        "GRANT SELECT ON t.orders TO tables_owner",
        "INSERT INTO t.orders VALUES (1, 'ann', 10.50, 'first'), (2, 'bob', 250.25, null), (3, 'ann', 120.00, 'big')");
    try (Connection connection = db.connect()) {
      Planner.create(model()).execute(connection);
    }
    db.execute(
        "CREATE VIEW t.big_count AS SELECT customer, count(*) AS n FROM t.big_orders GROUP BY customer",
        "CREATE MATERIALIZED VIEW t.report AS SELECT s.customer, s.total, coalesce(b.n, 0) AS big"
            + " FROM t.totals s LEFT JOIN t.big_count b USING (customer)",
        "CREATE UNIQUE INDEX report_customer ON t.report (customer)",
        "COMMENT ON MATERIALIZED VIEW t.report IS 'made by hand'",
        "COMMENT ON COLUMN t.report.total IS 'sum of amounts'",
        "GRANT SELECT ON t.report TO tables_reader WITH GRANT OPTION",
        "GRANT SELECT ON t.big_orders TO tables_reader",
        "GRANT SELECT (customer) ON t.totals TO tables_reader",
        "COMMENT ON COLUMN t.big_orders.amount IS 'as ordered'",
        "GRANT SELECT ON t.totals, t.big_count TO tables_owner",
        "ALTER MATERIALIZED VIEW t.report OWNER TO tables_owner",
        "CREATE VIEW t.notes AS SELECT id, note FROM t.orders",
        "GRANT SELECT (note) ON t.notes TO tables_reader",
        "CREATE MATERIALIZED VIEW t.customers AS SELECT DISTINCT customer FROM t.orders",
        "CREATE INDEX customers_by_name ON t.customers (customer)");
  }

  /** The catalog of schema {@code t}, OIDs left out. */
  public static List<String> snapshot(TestDatabase db) {
    return CatalogSnapshot.of(db, "t");
  }

  /** {@code snapshot} as it must read once amount is numeric(12,2): only that type differs. */
  public static List<String> widened(List<String> snapshot) {
    return snapshot.stream().map(line -> line.replace("numeric(10,2)", "numeric(12,2)")).toList();
  }

  public static long oid(TestDatabase db, String relation) {
    return db.<Number>value("SELECT ?::regclass::oid::bigint", relation).longValue();
  }

  public static String columnType(TestDatabase db, String relation, String column) {
    return db.value("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = ?::regclass"
        + " AND attname = ?", relation, column);
  }
}
