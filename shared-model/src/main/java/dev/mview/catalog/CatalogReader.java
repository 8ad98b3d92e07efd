package dev.mview.catalog;

import dev.mview.model.QualifiedName;
import dev.mview.model.ViewKind;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The queries behind {@link Catalog#read}: one per kind of fact, each over all views at once. The
 * deparsing functions run with only {@code pg_catalog} on the search path, so definitions come back
 * schema-qualified and can be replayed later from any session.
 */
final class CatalogReader {
  private CatalogReader() {}

  /** The relations the catalog covers: views and materialized views outside system schemas. */
  private static final String VIEWS = """
      SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('v', 'm') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
      """;

  private static final String RELATIONS = "WITH rel AS (" + VIEWS + """
      )
      SELECT c.oid, n.nspname, c.relname, c.relkind::text AS kind, :definition AS definition,
             c.relispopulated, pg_get_userbyid(c.relowner) AS owner, t.spcname, c.reloptions,
             obj_description(c.oid, 'pg_class') AS comment
      FROM rel JOIN pg_class c ON c.oid = rel.oid JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_tablespace t ON t.oid = c.reltablespace
      """;

  private static final String COLUMNS = "WITH rel AS (" + VIEWS + """
      )
      SELECT a.attrelid, a.attname, col_description(a.attrelid, a.attnum) AS comment
      FROM rel JOIN pg_attribute a ON a.attrelid = rel.oid
      WHERE a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attrelid, a.attnum
      """;

  private static final String INDEXES = "WITH rel AS (" + VIEWS + """
      )
      SELECT i.indrelid, ic.relname, :definition AS definition, i.indisunique,
             i.indpred IS NOT NULL AS partial, i.indexprs IS NULL AS plain,
             ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                   WHERE k.ord <= i.indnkeyatts ORDER BY k.ord) AS columns,
             am.amname, :predicate AS predicate, t.spcname
      FROM rel JOIN pg_index i ON i.indrelid = rel.oid
      JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
      LEFT JOIN pg_tablespace t ON t.oid = ic.reltablespace
      ORDER BY i.indrelid, ic.relname
      """;

  /** Privileges of roles other than the owner (the owner's come with ownership). */
  private static final String GRANTS = "WITH rel AS (" + VIEWS + """
      )
      SELECT c.oid, NULL::text AS attname,
             CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee) END AS grantee,
             x.privilege_type, x.is_grantable
      FROM rel JOIN pg_class c ON c.oid = rel.oid CROSS JOIN LATERAL aclexplode(c.relacl) x
      WHERE x.grantee <> c.relowner
      UNION ALL
      SELECT c.oid, a.attname::text,
             CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee) END,
             x.privilege_type, x.is_grantable
      FROM rel JOIN pg_class c ON c.oid = rel.oid
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      CROSS JOIN LATERAL aclexplode(a.attacl) x
      WHERE x.grantee <> c.relowner
      ORDER BY 1, 2 NULLS FIRST, 3, 4
      """;

  private static final String TRIGGERS = "WITH rel AS (" + VIEWS + """
      )
      SELECT t.tgrelid, pg_get_triggerdef(t.oid) AS definition
      FROM rel JOIN pg_trigger t ON t.tgrelid = rel.oid
      WHERE NOT t.tgisinternal
      ORDER BY t.tgrelid, t.tgname
      """;

  /** Which relation each view's rewrite rule reads; system relations are left out. */
  private static final String DEPENDENCIES = """
      SELECT DISTINCT rn.nspname AS reader_schema, rc.relname AS reader, sn.nspname AS source_schema,
             sc.relname AS source
      FROM pg_depend d
      JOIN pg_rewrite r ON r.oid = d.objid
      JOIN pg_class rc ON rc.oid = r.ev_class JOIN pg_namespace rn ON rn.oid = rc.relnamespace
      JOIN pg_class sc ON sc.oid = d.refobjid JOIN pg_namespace sn ON sn.oid = sc.relnamespace
      WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
        AND d.refobjid <> r.ev_class AND rc.relkind IN ('v', 'm')
        AND rn.nspname <> 'information_schema' AND rn.nspname NOT LIKE 'pg\\_%'
        AND sn.nspname <> 'information_schema' AND sn.nspname <> 'pg_catalog'
      """;

  /**
   * Reads the catalog; with {@code deparse} false, leaves out what only the deparsing functions give
   * (view and index definitions, index predicates, triggers). Deparsing opens every relation a view
   * reads with a share lock, so a full read waits behind a plain refresh of any of them; the lighter
   * read takes no relation lock at all.
   */
  static Catalog read(Connection connection, boolean deparse) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      String searchPath;
      String currentUser;
      try (ResultSet rs = statement.executeQuery("SELECT current_setting('search_path'), current_user")) {
        rs.next();
        searchPath = rs.getString(1);
        currentUser = rs.getString(2);
      }
      int majorVersion = connection.getMetaData().getDatabaseMajorVersion();
      if (!deparse) {
        return read(statement, majorVersion, currentUser, false);
      }
      statement.execute("SELECT set_config('search_path', 'pg_catalog', false)");
      SQLException failure = null;
      try {
        return read(statement, majorVersion, currentUser, true);
      } catch (SQLException e) {
        failure = e;
        throw e;
      } finally {
        restoreSearchPath(connection, searchPath, failure);
      }
    }
  }

  /**
   * Puts the caller's search path back. After a failed query in a caller's transaction this fails
   * too (the transaction is aborted, and rolling back restores the path anyway); the first error is
   * the one that explains, so the restore's is only attached to it.
   */
  private static void restoreSearchPath(Connection connection, String searchPath, SQLException failure)
      throws SQLException {
    try (PreparedStatement restore = connection.prepareStatement("SELECT set_config('search_path', ?, false)")) {
      restore.setString(1, searchPath);
      restore.execute();
    } catch (SQLException e) {
      if (failure == null) {
        throw e;
      }
      failure.addSuppressed(e);
    }
  }

  private static Catalog read(Statement statement, int majorVersion, String currentUser, boolean deparse)
      throws SQLException {
    Map<Long, ViewParts> parts = new LinkedHashMap<>();
    String relations = RELATIONS.replace(":definition", deparse ? "pg_get_viewdef(c.oid)" : "NULL::text");
    try (ResultSet rs = statement.executeQuery(relations)) {
      while (rs.next()) {
        parts.put(rs.getLong("oid"), ViewParts.from(rs));
      }
    }
    try (ResultSet rs = statement.executeQuery(COLUMNS)) {
      while (rs.next()) {
        ViewParts view = parts.get(rs.getLong("attrelid"));
        String column = rs.getString("attname");
        view.columns.add(column);
        if (rs.getString("comment") != null) {
          view.columnComments.put(column, rs.getString("comment"));
        }
      }
    }
    String indexes = INDEXES
        .replace(":definition", deparse ? "pg_get_indexdef(i.indexrelid)" : "NULL::text")
        .replace(":predicate", deparse ? "pg_get_expr(i.indpred, i.indrelid)" : "NULL::text");
    try (ResultSet rs = statement.executeQuery(indexes)) {
      while (rs.next()) {
        parts.get(rs.getLong("indrelid")).indexes.add(new LiveIndex(rs.getString("relname"),
            rs.getString("definition"), rs.getBoolean("indisunique"), rs.getBoolean("partial"),
            rs.getBoolean("plain") ? strings(rs.getArray("columns")) : List.of(), rs.getString("amname"),
            rs.getString("predicate"), rs.getString("spcname")));
      }
    }
    try (ResultSet rs = statement.executeQuery(GRANTS)) {
      while (rs.next()) {
        parts.get(rs.getLong("oid")).grants.add(new Grant(rs.getString("grantee"),
            rs.getString("privilege_type"), rs.getString("attname"), rs.getBoolean("is_grantable")));
      }
    }
    if (deparse) {
      try (ResultSet rs = statement.executeQuery(TRIGGERS)) {
        while (rs.next()) {
          parts.get(rs.getLong("tgrelid")).triggers.add(rs.getString("definition"));
        }
      }
    }
    Catalog.Builder catalog = Catalog.builder().serverMajorVersion(majorVersion).currentUser(currentUser)
        .definitions(deparse);
    parts.forEach((oid, view) -> catalog.view(view.build(oid)));
    try (ResultSet rs = statement.executeQuery(DEPENDENCIES)) {
      while (rs.next()) {
        catalog.edge(QualifiedName.of(rs.getString("reader_schema"), rs.getString("reader")),
            QualifiedName.of(rs.getString("source_schema"), rs.getString("source")));
      }
    }
    return catalog.build();
  }

  private static List<String> strings(Array array) throws SQLException {
    List<String> values = new ArrayList<>();
    if (array != null) {
      for (Object value : (Object[]) array.getArray()) {
        values.add((String) value);
      }
    }
    return values;
  }

  /** What is known of one view while the queries come in. */
  private static final class ViewParts {
    QualifiedName name;
    ViewKind kind;
    String definition;
    boolean populated;
    String owner;
    String tablespace;
    final Map<String, String> options = new LinkedHashMap<>();
    String comment;
    final List<String> columns = new ArrayList<>();
    final Map<String, String> columnComments = new LinkedHashMap<>();
    final List<LiveIndex> indexes = new ArrayList<>();
    final List<Grant> grants = new ArrayList<>();
    final List<String> triggers = new ArrayList<>();

    static ViewParts from(ResultSet rs) throws SQLException {
      ViewParts view = new ViewParts();
      view.name = QualifiedName.of(rs.getString("nspname"), rs.getString("relname"));
      view.kind = "m".equals(rs.getString("kind")) ? ViewKind.MATERIALIZED_VIEW : ViewKind.VIEW;
      view.definition = rs.getString("definition");
      view.populated = rs.getBoolean("relispopulated");
      view.owner = rs.getString("owner");
      view.tablespace = rs.getString("spcname");
      for (String option : strings(rs.getArray("reloptions"))) {
        int equals = option.indexOf('=');
        view.options.put(option.substring(0, equals), option.substring(equals + 1));
      }
      view.comment = rs.getString("comment");
      return view;
    }

    LiveView build(long oid) {
      return new LiveView(name, oid, kind, definition, populated, owner, tablespace, options, comment,
          columns, columnComments, indexes, grants, triggers);
    }
  }
}
