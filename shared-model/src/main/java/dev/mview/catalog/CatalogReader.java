package dev.mview.catalog;

import dev.mview.MviewException;
import dev.mview.internal.Unit;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewKind;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
             c.relispopulated, pg_get_userbyid(c.relowner) AS owner, c.relacl IS NULL AS default_acl,
             t.spcname, c.reloptions, greatest(c.relpages, 0) AS relpages,
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

  /**
   * Every privilege on the views and their columns, with grantor and grant option; grantee 0 is
   * {@code PUBLIC} (null here, never the text {@code PUBLIC}, which a real role may be named). The
   * owner's own entries come too, flagged: they say which privileges the owner gave up.
   */
  private static final String GRANTS = "WITH rel AS (" + VIEWS + """
      )
      SELECT c.oid, NULL::text AS attname,
             CASE WHEN x.grantee = 0 THEN NULL ELSE pg_get_userbyid(x.grantee) END AS grantee,
             x.privilege_type, x.is_grantable, pg_get_userbyid(x.grantor) AS grantor,
             x.grantee = c.relowner AS owner_entry
      FROM rel JOIN pg_class c ON c.oid = rel.oid CROSS JOIN LATERAL aclexplode(c.relacl) x
      UNION ALL
      SELECT c.oid, a.attname::text,
             CASE WHEN x.grantee = 0 THEN NULL ELSE pg_get_userbyid(x.grantee) END,
             x.privilege_type, x.is_grantable, pg_get_userbyid(x.grantor), false
      FROM rel JOIN pg_class c ON c.oid = rel.oid
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      CROSS JOIN LATERAL aclexplode(a.attacl) x
      WHERE x.grantee <> c.relowner
      ORDER BY 1, 2 NULLS FIRST, 3 NULLS FIRST, 4, 6
      """;

  private static final String TRIGGERS = "WITH rel AS (" + VIEWS + """
      )
      SELECT t.tgrelid, pg_get_triggerdef(t.oid) AS definition
      FROM rel JOIN pg_trigger t ON t.tgrelid = rel.oid
      WHERE NOT t.tgisinternal
      ORDER BY t.tgrelid, t.tgname
      """;

  /**
   * Which relation each view's rewrite rule reads with its size in pages, and which of its columns
   * ({@code refobjsubid} is the column's number; 0 for the relation as a whole); system relations
   * are left out.
   */
  private static final String DEPENDENCIES = """
      SELECT DISTINCT rn.nspname AS reader_schema, rc.relname AS reader, sn.nspname AS source_schema,
             sc.relname AS source, greatest(sc.relpages, 0) AS source_pages, a.attname AS source_column
      FROM pg_depend d
      JOIN pg_rewrite r ON r.oid = d.objid
      JOIN pg_class rc ON rc.oid = r.ev_class JOIN pg_namespace rn ON rn.oid = rc.relnamespace
      JOIN pg_class sc ON sc.oid = d.refobjid JOIN pg_namespace sn ON sn.oid = sc.relnamespace
      LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid AND d.refobjsubid > 0
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
    for (int attempt = 1; ; attempt++) {
      try {
        return readOnce(connection, deparse);
      } catch (Changed | SQLException e) {
        if (!(e instanceof Changed) && !changedUnderfoot((SQLException) e)) {
          throw (SQLException) e;
        }
        if (attempt == ATTEMPTS) {
          throw new MviewException(MviewException.Kind.CATALOG_CHANGED, "the views changed while mview read the"
              + " catalog, " + ATTEMPTS + " times in a row (another session is creating, dropping or swapping"
              + " views): nothing was changed; run again when that is done", e);
        }
      }
    }
  }

  /** How many times a read that saw the catalog change under it is tried. */
  private static final int ATTEMPTS = 5;

  /** The catalog changed between two of the reader's queries; the read is taken again. */
  private static final class Changed extends Exception {
    private static final long serialVersionUID = 1L;

    Changed(String what) {
      super(what, null, false, false);
    }
  }

  /**
   * Errors a deparsing function gives when a relation it was asked about was dropped by another
   * session meanwhile ({@code could not open relation with OID}, {@code cache lookup failed}), or
   * when its share lock on a view lost a deadlock to another session's DDL on the views.
   */
  private static boolean changedUnderfoot(SQLException e) {
    return "XX000".equals(e.getSQLState()) || "42P01".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
  }

  /**
   * One read, as one unit: in a transaction of its own at {@code REPEATABLE READ} (one snapshot for
   * every query) when the connection auto-commits, else under a savepoint of the caller's
   * transaction, which a failed attempt rolls back. Inside a caller's transaction each query may
   * see a newer catalog, so the reader checks that they agree and reads again when they do not.
   */
  private static Catalog readOnce(Connection connection, boolean deparse) throws SQLException, Changed {
    try (Unit unit = Unit.begin(connection); Statement statement = connection.createStatement()) {
      if (unit.ownTransaction()) {
        statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      }
      Catalog.Builder catalog = Catalog.builder().serverMajorVersion(connection.getMetaData().getDatabaseMajorVersion())
          .definitions(deparse);
      String searchPath;
      try (ResultSet rs = statement.executeQuery(SESSION)) {
        rs.next();
        searchPath = rs.getString(1);
        catalog.currentUser(rs.getString(2)).superuser(rs.getBoolean(3));
        strings(rs.getArray(4)).forEach(catalog::memberOf);
      }
      if (deparse) {
        statement.execute("SELECT set_config('search_path', 'pg_catalog', false)");
      }
      read(statement, catalog, deparse, !unit.ownTransaction());
      if (deparse) {
        try (PreparedStatement restore = connection.prepareStatement("SELECT set_config('search_path', ?, false)")) {
          restore.setString(1, searchPath);
          restore.execute();
        }
      }
      unit.commit();
      return catalog.build();
    }
  }

  /**
   * Who reads: the search path to put back, the role, whether it is a superuser, and the roles it
   * may act as ({@code SET ROLE}), so a grant can be given again in its grantor's name.
   */
  private static final String SESSION = """
      SELECT current_setting('search_path'), current_user,
             (SELECT rolsuper FROM pg_roles WHERE rolname = current_user),
             ARRAY(SELECT rolname::text FROM pg_roles r WHERE pg_has_role(current_user, r.oid, 'MEMBER'))
      """;

  /**
   * Reads the views into {@code catalog}. With {@code checkAgain} (inside a caller's transaction,
   * where each query sees the catalog as it is when it starts), the set of views is read again last
   * and must not have changed; in a transaction of its own every query shares one snapshot.
   */
  private static void read(Statement statement, Catalog.Builder catalog, boolean deparse, boolean checkAgain)
      throws SQLException, Changed {
    Map<Long, ViewParts> parts = new LinkedHashMap<>();
    String relations = RELATIONS.replace(":definition", deparse ? "pg_get_viewdef(c.oid)" : "NULL::text");
    try (ResultSet rs = statement.executeQuery(relations)) {
      while (rs.next()) {
        parts.put(rs.getLong("oid"), ViewParts.from(rs));
      }
    }
    try (ResultSet rs = statement.executeQuery(COLUMNS)) {
      while (rs.next()) {
        ViewParts view = known(parts, rs.getLong("attrelid"));
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
        known(parts, rs.getLong("indrelid")).indexes.add(new LiveIndex(rs.getString("relname"),
            rs.getString("definition"), rs.getBoolean("indisunique"), rs.getBoolean("partial"),
            rs.getBoolean("plain") ? strings(rs.getArray("columns")) : List.of(), rs.getString("amname"),
            rs.getString("predicate"), rs.getString("spcname")));
      }
    }
    try (ResultSet rs = statement.executeQuery(GRANTS)) {
      while (rs.next()) {
        ViewParts view = known(parts, rs.getLong("oid"));
        if (rs.getBoolean("owner_entry")) {
          view.ownerPrivileges.add(rs.getString("privilege_type"));
        } else {
          view.grants.add(new Grant(rs.getString("grantee"), rs.getString("privilege_type"), rs.getString("attname"),
              rs.getBoolean("is_grantable"), rs.getString("grantor")));
        }
      }
    }
    if (deparse) {
      try (ResultSet rs = statement.executeQuery(TRIGGERS)) {
        while (rs.next()) {
          known(parts, rs.getLong("tgrelid")).triggers.add(rs.getString("definition"));
        }
      }
    }
    Set<QualifiedName> names = new HashSet<>();
    parts.forEach((oid, view) -> {
      catalog.view(view.build(oid)).pages(view.name, view.pages);
      names.add(view.name);
    });
    try (ResultSet rs = statement.executeQuery(DEPENDENCIES)) {
      while (rs.next()) {
        QualifiedName reader = QualifiedName.of(rs.getString("reader_schema"), rs.getString("reader"));
        if (!names.contains(reader)) {
          throw new Changed("view " + reader + " appeared");
        }
        QualifiedName source = QualifiedName.of(rs.getString("source_schema"), rs.getString("source"));
        catalog.edge(reader, source).pages(source, rs.getLong("source_pages"));
        if (rs.getString("source_column") != null) {
          catalog.columnEdge(reader, source, rs.getString("source_column"));
        }
      }
    }
    if (checkAgain) {
      Set<Long> now = new HashSet<>();
      try (ResultSet rs = statement.executeQuery(VIEWS)) {
        while (rs.next()) {
          now.add(rs.getLong(1));
        }
      }
      if (!now.equals(parts.keySet())) {
        throw new Changed("views were created or dropped");
      }
    }
  }

  /** The parts of the view {@code oid} read by the first query; a view it did not see is news. */
  private static ViewParts known(Map<Long, ViewParts> parts, long oid) throws Changed {
    ViewParts view = parts.get(oid);
    if (view == null) {
      throw new Changed("view " + oid + " appeared");
    }
    return view;
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
    long pages;
    final List<String> columns = new ArrayList<>();
    final Map<String, String> columnComments = new LinkedHashMap<>();
    final List<LiveIndex> indexes = new ArrayList<>();
    final List<Grant> grants = new ArrayList<>();
    boolean defaultAcl;
    final Set<String> ownerPrivileges = new TreeSet<>();
    final List<String> triggers = new ArrayList<>();

    static ViewParts from(ResultSet rs) throws SQLException {
      ViewParts view = new ViewParts();
      view.name = QualifiedName.of(rs.getString("nspname"), rs.getString("relname"));
      view.kind = "m".equals(rs.getString("kind")) ? ViewKind.MATERIALIZED_VIEW : ViewKind.VIEW;
      view.definition = rs.getString("definition");
      view.populated = rs.getBoolean("relispopulated");
      view.owner = rs.getString("owner");
      view.defaultAcl = rs.getBoolean("default_acl");
      view.tablespace = rs.getString("spcname");
      for (String option : strings(rs.getArray("reloptions"))) {
        int equals = option.indexOf('=');
        view.options.put(option.substring(0, equals), option.substring(equals + 1));
      }
      view.comment = rs.getString("comment");
      view.pages = rs.getLong("relpages");
      return view;
    }

    LiveView build(long oid) {
      return new LiveView(name, oid, kind, definition, populated, owner, tablespace, options, comment,
          columns, columnComments, indexes, grants, defaultAcl ? null : ownerPrivileges, triggers);
    }
  }
}
