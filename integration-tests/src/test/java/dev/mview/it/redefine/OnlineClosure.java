package dev.mview.it.redefine;

import dev.mview.it.support.CatalogSnapshot;
import dev.mview.it.support.TestDatabase;
import java.util.List;

/**
 * The closure of {@link OnlineRedefinitionTest} for the front-end tests: a table, a root and a
 * reader that the migration tool creates, and around them, made by hand, a plain view, a
 * materialized view with its own index, comments and owner, views reading those, column grants and
 * grants with grant option. The front ends then redefine the root.
 */
final class OnlineClosure {
  /** The root as the first migration defines it. */
  static final String ROOT = "SELECT id, customer, amount FROM o.orders";
  /** The root as the redefining migration defines it: a column more. */
  static final String NEW_ROOT = "SELECT id, customer, amount, amount * 100 AS cents FROM o.orders";
  /** The materialized view the first migration defines beside the root, reading it. */
  static final String BY_CUSTOMER = "SELECT customer, sum(amount) AS total, count(*) AS n FROM o.root GROUP BY customer";

  private OnlineClosure() {}

  /** A fresh schema {@code o} with the table and its rows, and the two roles (cluster-wide, made once). */
  static void tables(TestDatabase db) {
    db.execute("DROP SCHEMA IF EXISTS o CASCADE",
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'online_reader') THEN CREATE ROLE online_reader;"
            + " END IF; IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'online_owner') THEN CREATE ROLE online_owner;"
            + " END IF; END $$",
        "CREATE SCHEMA o", "GRANT ALL ON SCHEMA o TO online_owner, online_reader",
        "CREATE TABLE o.orders (id int PRIMARY KEY, customer text NOT NULL, amount int NOT NULL)",
        "INSERT INTO o.orders SELECT g, 'c' || (g % 7), g % 23 FROM generate_series(1, 500) g");
  }

  /** What users made by hand on the root and its reader, after the first migration. */
  static void handMade(TestDatabase db) {
    db.execute(
        "CREATE VIEW o.big AS SELECT id, amount FROM o.root WHERE amount > 10",
        "CREATE MATERIALIZED VIEW o.top AS SELECT customer, total FROM o.by_customer ORDER BY total DESC LIMIT 3",
        "CREATE INDEX top_total ON o.top (total)",
        "COMMENT ON MATERIALIZED VIEW o.top IS 'made by hand'",
        "COMMENT ON COLUMN o.top.total IS 'sum of amounts'",
        "ALTER MATERIALIZED VIEW o.top OWNER TO online_owner",
        "CREATE VIEW o.big_customers AS SELECT b.id, c.total FROM o.big b JOIN o.by_customer c ON true",
        "GRANT SELECT ON o.big_customers TO online_reader WITH GRANT OPTION",
        "GRANT SELECT (total) ON o.top TO online_reader",
        "CREATE VIEW o.top_names AS SELECT customer FROM o.top",
        "GRANT SELECT ON o.by_customer, o.root TO online_reader",
        "COMMENT ON COLUMN o.by_customer.total IS 'per customer'");
  }

  /** Everything schema {@code o} holds, OIDs aside. */
  static List<String> snapshot(TestDatabase db) {
    return CatalogSnapshot.of(db, "o");
  }

  /** How many work schemas of online plans exist. */
  static long workSchemas(TestDatabase db) {
    return db.<Long>value("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'mview_online_%'");
  }

}
