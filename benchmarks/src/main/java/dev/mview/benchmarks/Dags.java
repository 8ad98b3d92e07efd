package dev.mview.benchmarks;

/**
 * The DAGs the refresh benchmark runs, over {@code dag.facts} (1M rows) and {@code dag.events} (2 in
 * 5 of its rows): {name, query}, each after what it reads.
 */
final class Dags {
  private Dags() {}

  /**
   * The facts table, a smaller one of the same shape for the serial views (which cost several
   * times as much per row), and a user function every serial view calls.
   */
  static String[] facts(int rows) {
    return new String[] {
        "CREATE SCHEMA dag",
        "CREATE TABLE dag.facts AS SELECT i AS id, i % 1000 AS k1, i % 97 AS k2, i % 10007 AS k3, i % 13 AS cat,"
            + " ((i::bigint * 7919) % 10000) / 100.0 AS amount FROM generate_series(1, " + rows + ") i",
        // not marked PARALLEL SAFE, as user functions usually are not: a query calling it runs in one process
        "CREATE FUNCTION dag.weight(numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS 'SELECT $1 * 1.5'",
        "CREATE TABLE dag.events AS SELECT * FROM dag.facts WHERE id % 5 < 2",
        "ANALYZE dag.facts, dag.events"};
  }

  /** 8 + 6 + 4 + 2 views in four levels; those with a join on dag.facts cost a scan of the 1M rows. */
  static final String[][] MIXED = {
      {"l1_0", "SELECT k1, sum(amount) AS s, count(*) AS n FROM dag.facts GROUP BY k1"},
      {"l1_1", "SELECT k2, sum(amount) AS s, count(*) AS n FROM dag.facts GROUP BY k2"},
      {"l1_2", "SELECT k3, sum(amount) AS s, count(*) AS n FROM dag.facts GROUP BY k3"},
      {"l1_3", "SELECT cat, sum(amount) AS s, count(*) AS n FROM dag.facts GROUP BY cat"},
      {"l1_4", "SELECT k1, k2, sum(amount) AS s FROM dag.facts GROUP BY k1, k2"},
      {"l1_5", "SELECT k3, cat, sum(amount) AS s FROM dag.facts GROUP BY k3, cat"},
      {"l1_6", "SELECT id / 100 AS bucket, sum(amount) AS s FROM dag.facts GROUP BY 1"},
      {"l1_7", "SELECT k1, avg(amount) AS a, max(amount) AS m FROM dag.facts GROUP BY k1"},
      {"l2_0", "SELECT f.k2, sum(f.amount * a.n) AS s FROM dag.facts f JOIN dag.l1_0 a USING (k1) GROUP BY f.k2"},
      {"l2_1", "SELECT f.cat, sum(f.amount) / max(b.s) AS s FROM dag.facts f JOIN dag.l1_1 b USING (k2) GROUP BY f.cat"},
      {"l2_2", "SELECT c.k3, c.s, d.s AS total FROM dag.l1_2 c CROSS JOIN (SELECT sum(s) AS s FROM dag.l1_3) d"},
      {"l2_3", "SELECT k1, sum(s) AS s FROM dag.l1_4 GROUP BY k1"},
      {"l2_4", "SELECT f.k3, count(*) AS n, sum(e.s) AS s FROM dag.facts f JOIN dag.l1_5 e ON e.k3 = f.k3 AND e.cat = f.cat GROUP BY f.k3"},
      {"l2_5", "SELECT g.bucket % 1000 AS k1, sum(g.s) AS s, max(h.a) AS a FROM dag.l1_6 g JOIN dag.l1_7 h ON h.k1 = g.bucket % 1000 GROUP BY 1"},
      {"l3_0", "SELECT a.k2, a.s, b.s AS cat_share FROM dag.l2_0 a CROSS JOIN (SELECT max(s) AS s FROM dag.l2_1) b"},
      {"l3_1", "SELECT f.cat, sum(f.amount * c.s / c.total) AS s FROM dag.facts f JOIN dag.l2_2 c USING (k3) GROUP BY f.cat"},
      {"l3_2", "SELECT c.k1, c.s, (SELECT sum(n) FROM dag.l2_4) AS n FROM dag.l2_3 c"},
      {"l3_3", "SELECT f.k2, sum(f.amount * d.a) AS s FROM dag.facts f JOIN dag.l2_5 d USING (k1) GROUP BY f.k2"},
      {"l4_0", "SELECT a.k2, a.s + coalesce(b.s, 0) AS s FROM dag.l3_0 a LEFT JOIN dag.l3_1 b ON b.cat = a.k2 % 13"},
      {"l4_1", "SELECT f.k1, sum(f.amount) * max(c.s) + max(d.s) AS s FROM dag.facts f JOIN dag.l3_2 c USING (k1)"
          + " JOIN dag.l3_3 d USING (k2) GROUP BY f.k1"},
  };

  /**
   * Analytics that PostgreSQL runs in one process each: window functions, {@code DISTINCT ON},
   * ordered-set aggregates and a function not marked parallel safe. 10 views on the events, 4 that
   * also read one of those, 2 small ones on top.
   */
  static final String[][] SERIAL = {
      {"n01", "SELECT k1, id, amount FROM (SELECT k1, id, amount, row_number() OVER (PARTITION BY k1"
          + " ORDER BY dag.weight(amount) DESC, id) AS r FROM dag.events) x WHERE r <= 10"},
      {"n02", "SELECT DISTINCT ON (k3) k3, id, amount FROM dag.events ORDER BY k3, dag.weight(amount) DESC, id"},
      {"n03", "SELECT k2, cat, sum(dag.weight(amount)) AS s, count(*) AS n FROM dag.events GROUP BY k2, cat"},
      {"n04", "SELECT id, k2, sum(dag.weight(amount)) OVER (PARTITION BY k2 ORDER BY id ROWS BETWEEN 9 PRECEDING"
          + " AND CURRENT ROW) AS moving FROM dag.events WHERE id % 5 = 0"},
      {"n05", "SELECT DISTINCT ON (k1, cat) k1, cat, id, amount FROM dag.events WHERE dag.weight(amount) > 1"
          + " ORDER BY k1, cat, amount DESC, id"},
      {"n06", "SELECT cat, percentile_cont(0.5) WITHIN GROUP (ORDER BY dag.weight(amount)) AS median"
          + " FROM dag.events GROUP BY cat"},
      {"n07", "SELECT k3, rank() OVER (ORDER BY s DESC) AS r, s FROM (SELECT k3, sum(dag.weight(amount)) AS s"
          + " FROM dag.events GROUP BY k3) x"},
      {"n08", "SELECT k1, count(DISTINCT k3) AS k3s, sum(dag.weight(amount)) AS s FROM dag.events GROUP BY k1"},
      {"n09", "SELECT id, ntile(100) OVER (ORDER BY dag.weight(amount), id) AS pct FROM dag.events WHERE id % 3 = 0"},
      {"n10", "SELECT k2, k1, dense_rank() OVER (PARTITION BY k2 ORDER BY sum(dag.weight(amount)) DESC) AS r"
          + " FROM dag.events GROUP BY k2, k1"},
      {"n11", "SELECT f.cat, count(*) AS n, sum(dag.weight(f.amount)) AS s FROM dag.events f"
          + " JOIN dag_serial.n02 d ON d.k3 = f.k3 GROUP BY f.cat"},
      {"n12", "SELECT f.k2, sum(dag.weight(f.amount) * t.n) AS s FROM dag.events f"
          + " JOIN dag_serial.n03 t ON t.k2 = f.k2 AND t.cat = f.cat GROUP BY f.k2"},
      {"n13", "SELECT DISTINCT ON (f.k1) f.k1, f.id, f.amount * r.r AS score FROM dag.events f"
          + " JOIN dag_serial.n10 r ON r.k1 = f.k1 AND r.k2 = f.k2 ORDER BY f.k1, dag.weight(f.amount) DESC, f.id"},
      {"n14", "SELECT f.k1, sum(dag.weight(f.amount)) / max(b.k3s) AS s FROM dag.events f"
          + " JOIN dag_serial.n08 b USING (k1) GROUP BY f.k1"},
      {"n15", "SELECT x.cat, x.median, y.n FROM dag_serial.n06 x JOIN dag_serial.n11 y USING (cat)"},
      {"n16", "SELECT k3, r, sum(s) OVER (ORDER BY r) AS running FROM dag_serial.n07"},
  };

  /** The names of {@code views}. */
  static String[] names(String[][] views) {
    String[] names = new String[views.length];
    for (int i = 0; i < views.length; i++) {
      names[i] = views[i][0];
    }
    return names;
  }

  /** The long chain of {@link #ordered()}, which sorts after the short views in plan order. */
  static final String[] CHAIN = {"z1", "z2", "z3", "z4", "z5", "z6"};

  /**
   * A chain of six serial views, each a pass over the events joined to the one before, beside 16
   * short independent aggregates of the facts; by name the chain comes last in plan order.
   */
  static String[][] ordered() {
    String[][] views = new String[16 + CHAIN.length][];
    for (int i = 0; i < 16; i++) {
      views[i] = new String[] {String.format("a%02d", i + 1), "SELECT k2, count(*) AS n, sum(amount) AS s"
          + " FROM dag.facts WHERE cat = " + (i % 13) + " GROUP BY k2"};
    }
    views[16] = new String[] {CHAIN[0], "SELECT k1, sum(dag.weight(amount)) AS s, count(*) AS n FROM dag.events"
        + " GROUP BY k1"};
    for (int i = 1; i < CHAIN.length; i++) {
      views[16 + i] = new String[] {CHAIN[i], "SELECT f.k1, sum(dag.weight(f.amount)) + max(z.s) AS s, count(*) AS n"
          + " FROM dag.events f JOIN dag_ordered." + CHAIN[i - 1] + " z USING (k1) GROUP BY f.k1"};
    }
    return views;
  }
}
