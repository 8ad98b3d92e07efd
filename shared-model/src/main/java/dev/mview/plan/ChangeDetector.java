package dev.mview.plan;

import dev.mview.MviewException;
import dev.mview.catalog.Catalog;
import dev.mview.catalog.LiveIndex;
import dev.mview.catalog.LiveView;
import dev.mview.internal.Unit;
import dev.mview.internal.lexer.SqlToken;
import dev.mview.internal.sql.Ddl;
import dev.mview.model.IndexDefinition;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.sql.Identifiers;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Learns how PostgreSQL itself would read the declared queries: each is created as a temporary view
 * and deparsed with {@code pg_get_viewdef}, the same way the catalog deparsed the live view, so
 * white space, comments and keyword case never count as a change. Declared partial-index predicates
 * are deparsed the same way, on a temporary table shaped like the view. A view that does not exist
 * yet is created under its own name, as a plain view, so that its query is checked too and the
 * declared views that read it find it (all in dependency order). Everything happens in a
 * transaction (or savepoint) that is rolled back: the database is left as it was.
 */
final class ChangeDetector {
  private static final String PROBE_PREFIX = "mview_probe_";

  /**
   * What PostgreSQL made of one declared query: its deparsed definition and columns (null when not
   * known: planned offline, or a view that does not exist yet) and its partial-index predicates by
   * index name; {@code failure} is set when it did not run, and {@code schemaMissing} when it could
   * not even be created because its view's schema does not exist.
   */
  record Probe(String definition, List<String> columns, Map<String, String> predicates, String failure,
      boolean schemaMissing) {
    boolean ran() {
      return failure == null;
    }
  }

  private ChangeDetector() {}

  /**
   * Probes {@code views}, in the order given (create order): a view that exists live is probed as a
   * temporary view, one that does not is created under its own name. The usual case costs a
   * constant number of statements: all probes go in one batch. When the batch fails, each probe
   * runs alone so that the failing ones are known.
   */
  static Map<QualifiedName, Probe> probe(Connection connection, List<ViewDefinition> views, Catalog catalog) {
    if (views.isEmpty()) {
      return Map.of();
    }
    Map<QualifiedName, LiveView> live = new LinkedHashMap<>();
    catalog.views().forEach(view -> live.put(view.name(), view));
    try (Unit probes = Unit.begin(connection)) {
      return probeAll(connection, views, live); // never committed: closing the unit undoes the probes
    } catch (SQLException e) {
      throw new MviewException(MviewException.Kind.DATABASE, "could not compare the declared views with the"
          + " database: " + e.getMessage(), e);
    }
  }

  /**
   * The probes of {@code views} where there is no PostgreSQL to read them ({@code catalog} was
   * assumed from earlier declarations): a query counts as unchanged when its tokens equal the
   * earlier one's, and so does a partial-index predicate. Columns are not known.
   */
  static Map<QualifiedName, Probe> offline(List<ViewDefinition> views, Catalog catalog) {
    Map<QualifiedName, Probe> probes = new LinkedHashMap<>();
    for (ViewDefinition view : views) {
      LiveView live = catalog.view(view.name()).orElseThrow();
      String definition = sameTokens(view.query(), live.definition()) ? live.definition() : view.query();
      Map<String, String> predicates = new HashMap<>();
      for (IndexDefinition index : view.indexes()) {
        String name = index.name().orElseThrow();
        String where = index.where().orElse(null);
        String earlier = live.index(name).map(LiveIndex::predicate).orElse(null);
        predicates.put(name, where != null && earlier != null && sameTokens(where, earlier) ? earlier : where);
      }
      probes.put(view.name(), new Probe(definition, null, predicates, null, false));
    }
    return probes;
  }

  private static boolean sameTokens(String a, String b) {
    return SqlToken.normalize(a).equals(SqlToken.normalize(b));
  }

  private static Map<QualifiedName, Probe> probeAll(Connection connection, List<ViewDefinition> views,
      Map<QualifiedName, LiveView> live) throws SQLException {
    Map<String, ViewDefinition> byProbe = new LinkedHashMap<>();
    for (ViewDefinition view : views) {
      byProbe.put(PROBE_PREFIX + byProbe.size(), view);
    }
    Map<String, String> failures = new HashMap<>();
    try (Statement statement = connection.createStatement()) {
      List<String> creates = new ArrayList<>();
      byProbe.forEach((probe, view) -> creates.add(createProbe(probe, view, live.containsKey(view.name()))));
      if (!runBatch(connection, statement, String.join(";\n", creates))) {
        byProbe.forEach((probe, view) -> {
          String failure = runAlone(connection, statement, createProbe(probe, view, live.containsKey(view.name())));
          if (failure != null) {
            failures.put(probe, failure);
          }
        });
      }
      List<String> indexProbes = new ArrayList<>();
      Map<String, String[]> indexByProbe = new HashMap<>();
      byProbe.forEach((probe, view) -> {
        if (!failures.containsKey(probe) && live.containsKey(view.name())) {
          for (IndexDefinition index : view.indexes()) {
            if (index.where().isPresent()) {
              String table = probe + "_ix" + indexByProbe.size();
              // Shaped like the new query (the probe view), not the live view: a changed query may add
              // the very column the predicate uses.
              indexProbes.add("CREATE TEMP TABLE " + Identifiers.quote(table) + " (LIKE "
                  + Identifiers.quote(QualifiedName.of("pg_temp", probe)) + ")");
              indexProbes.add(Ddl.createIndex(QualifiedName.of("pg_temp", table), index.withName(table + "_i")));
              indexByProbe.put(table + "_i", new String[] {probe, index.name().orElseThrow()});
            }
          }
        }
      });
      // A predicate that does not run leaves its index unmatched: the plan rebuilds it, and fails there
      // naming its SQL, instead of failing the whole comparison here.
      if (!indexProbes.isEmpty()) {
        runAlone(connection, statement, String.join(";\n", indexProbes));
      }
      Set<String> missingSchemas = missingSchemas(connection, byProbe, failures, live);
      statement.execute("SET LOCAL search_path = pg_catalog");
      return read(statement, byProbe, failures, indexByProbe, missingSchemas);
    }
  }

  /**
   * The probe of {@code view}: a temporary view when it exists live (to compare with it), else the
   * view itself, as a plain view under its own name (for the views that read it).
   */
  private static String createProbe(String probe, ViewDefinition view, boolean exists) {
    QualifiedName name = exists ? QualifiedName.of("pg_temp", probe) : view.name();
    return Ddl.createView(ViewDefinition.view(name, view.query()).columnNames(view.columnNames()).build());
  }

  /**
   * The schemas, among those of new views whose probe failed, that do not exist: one query, and
   * only when a new view failed.
   */
  private static Set<String> missingSchemas(Connection connection, Map<String, ViewDefinition> byProbe,
      Map<String, String> failures, Map<QualifiedName, LiveView> live) throws SQLException {
    Set<String> schemas = new TreeSet<>();
    failures.keySet().stream().map(byProbe::get).filter(view -> !live.containsKey(view.name()))
        .forEach(view -> schemas.add(view.name().schema()));
    Set<String> missing = new HashSet<>();
    if (schemas.isEmpty()) {
      return missing;
    }
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT s FROM unnest(?::text[]) s WHERE NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = s)")) {
      query.setArray(1, connection.createArrayOf("text", schemas.toArray()));
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          missing.add(rs.getString(1));
        }
      }
    }
    return missing;
  }

  private static Map<QualifiedName, Probe> read(Statement statement, Map<String, ViewDefinition> byProbe,
      Map<String, String> failures, Map<String, String[]> indexByProbe, Set<String> missingSchemas)
      throws SQLException {
    Map<String, Map<String, String>> predicates = new HashMap<>();
    try (ResultSet rs = statement.executeQuery("""
        SELECT ic.relname, pg_get_expr(i.indpred, i.indrelid) AS predicate
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
        WHERE ic.relnamespace = pg_my_temp_schema() AND i.indpred IS NOT NULL""")) {
      while (rs.next()) {
        String[] owner = indexByProbe.get(rs.getString(1));
        if (owner != null) {
          predicates.computeIfAbsent(owner[0], k -> new HashMap<>()).put(owner[1], rs.getString(2));
        }
      }
    }
    Map<QualifiedName, Probe> probes = new LinkedHashMap<>();
    try (ResultSet rs = statement.executeQuery("""
        SELECT c.relname, pg_get_viewdef(c.oid) AS definition,
               ARRAY(SELECT a.attname::text FROM pg_attribute a
                     WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS columns
        FROM pg_class c WHERE c.relnamespace = pg_my_temp_schema() AND c.relkind = 'v'""")) {
      while (rs.next()) {
        ViewDefinition view = byProbe.get(rs.getString(1));
        if (view != null) {
          probes.put(view.name(), new Probe(rs.getString(2), strings(rs.getArray(3)),
              predicates.getOrDefault(rs.getString(1), Map.of()), null, false));
        }
      }
    }
    byProbe.forEach((probe, view) -> {
      String failure = failures.get(probe);
      if (failure != null) {
        probes.put(view.name(), new Probe(null, List.of(), Map.of(), failure,
            missingSchemas.contains(view.name().schema())));
      } else {
        probes.putIfAbsent(view.name(), new Probe(null, null, Map.of(), null, false)); // a new view: it ran
      }
    });
    return probes;
  }

  /** Runs {@code sql} under a savepoint; false (and rolled back) when it fails. */
  private static boolean runBatch(Connection connection, Statement statement, String sql) throws SQLException {
    return runAlone(connection, statement, sql) == null;
  }

  /** Runs {@code sql} under a savepoint; returns the error message when it fails, else null. */
  private static String runAlone(Connection connection, Statement statement, String sql) {
    try (Unit unit = Unit.begin(connection)) {
      try {
        statement.execute(sql);
      } catch (SQLException e) {
        return e.getMessage(); // closing the unit rolls back to its savepoint
      }
      unit.commit();
      return null;
    } catch (SQLException e) {
      throw new MviewException(MviewException.Kind.DATABASE, "could not compare the declared views with the"
          + " database: " + e.getMessage(), e);
    }
  }

  private static List<String> strings(Array array) throws SQLException {
    List<String> values = new ArrayList<>();
    for (Object value : (Object[]) array.getArray()) {
      values.add((String) value);
    }
    return values;
  }
}
