package dev.mview.it.reliability;

import dev.mview.it.support.TestDatabase;
import dev.mview.refresh.RefreshHistory;
import dev.mview.sql.Identifiers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** What the reliability suite's classes share: the state to compare, connections set up for a fault, and the counts. */
final class Reliability {
  private Reliability() {}

  /** Prints one line of the suite's counts; the README's "Reliability and security" section copies them. */
  static void count(String line) {
    System.out.println("mview reliability: " + line);
  }

  /**
   * The catalog of {@code schemas} (as {@code CatalogSnapshot} reads it: definitions, indexes, comments,
   * owners, ACLs with grantors, populated flags) followed by a digest of every populated relation's
   * rows, so two states are equal exactly when nothing was lost or changed.
   */
  static List<String> state(TestDatabase db, String... schemas) {
    try (Connection connection = db.connect()) {
      return state(connection, schemas);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** {@link #state(TestDatabase, String...)} read on {@code connection}, in one round trip. */
  static List<String> state(Connection connection, String... schemas) throws SQLException {
    List<String> state = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(SNAPSHOT + " UNION ALL " + ROWS)) {
      statement.setArray(1, connection.createArrayOf("text", schemas));
      statement.setArray(2, connection.createArrayOf("text", schemas));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          state.add(rows.getString(1));
        }
      }
    }
    return state;
  }

  // CatalogSnapshot's lines, then each populated relation's row count and digest, in one query; the
  // refresh history, which every refresh writes to by design, is left out.
  private static final String SNAPSHOT = "(SELECT format('%s.%s kind=%s populated=%s owner=%s acl=%s options=%s tablespace=%s"
      + " comment=%s def=%s', n.nspname, c.relname, c.relkind, c.relispopulated, pg_get_userbyid(c.relowner), c.relacl,"
      + " c.reloptions, c.reltablespace, obj_description(c.oid, 'pg_class'),"
      + " CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END)"
      + " || coalesce((SELECT string_agg(format(' col %s type=%s comment=%s acl=%s', a.attname,"
      + " format_type(a.atttypid, a.atttypmod), col_description(c.oid, a.attnum), a.attacl), '' ORDER BY a.attnum)"
      + " FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '')"
      + " || coalesce((SELECT string_agg(' ' || pg_get_indexdef(i.indexrelid), '' ORDER BY pg_get_indexdef(i.indexrelid))"
      + " FROM pg_index i WHERE i.indrelid = c.oid), '')"
      + " || coalesce((SELECT string_agg(' ' || pg_get_triggerdef(t.oid), '' ORDER BY t.tgname)"
      + " FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal), '')"
      + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
      + " WHERE n.nspname = ANY (?) AND c.relkind IN ('r', 'v', 'm') AND c.relname <> '" + RefreshHistory.TABLE + "'"
      + " ORDER BY n.nspname, c.relname)";
  private static final String ROWS = "(SELECT format('%s.%s rows %s', n.nspname, c.relname,"
      + " (xpath('/row/d/text()', query_to_xml(format('SELECT count(*) || '' '' || coalesce(md5(string_agg(x::text, '',''"
      + " ORDER BY x::text)), '''') AS d FROM %I.%I x', n.nspname, c.relname), false, false, '')))[1]::text)"
      + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
      + " WHERE n.nspname = ANY (?) AND c.relkind IN ('r', 'm') AND c.relispopulated AND c.relname <> '"
      + RefreshHistory.TABLE + "' ORDER BY n.nspname, c.relname)";

  /** Tables named victim, in any schema: a stray statement of a hostile input would have dropped one. */
  static List<String> victims(TestDatabase db) {
    return db.column("SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE c.relname = 'victim' AND c.relkind = 'r' ORDER BY 1");
  }

  /** Schemas a swap refresh or an online redefinition would have left behind, and relations named like their copies. */
  static List<String> leftovers(TestDatabase db) {
    return db.column("SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'mview\\_swap\\_%' OR nspname LIKE 'mview\\_online\\_%'"
        + " UNION ALL SELECT relname::text FROM pg_class WHERE relname LIKE 'mview\\_swap\\_%' OR relname LIKE 'mview\\_online\\_%'");
  }

  /** A new connection to {@code db} with {@code application_name} and server settings ({@code -c name=value} options). */
  static Connection connect(TestDatabase db, String applicationName, String... settings) throws SQLException {
    return DriverManager.getConnection(url(db, applicationName, settings), credentials(db));
  }

  /** The JDBC URL of {@code db} with {@code application_name} and server settings, for the host tools to connect with. */
  static String url(TestDatabase db, String applicationName, String... settings) {
    StringBuilder url = new StringBuilder(db.jdbcUrl()).append(db.jdbcUrl().contains("?") ? '&' : '?')
        .append("ApplicationName=").append(applicationName);
    if (settings.length > 0) {
      url.append("&options=");
      for (int i = 0; i < settings.length; i++) {
        url.append(i == 0 ? "" : "%20").append("-c%20").append(settings[i].replace("=", "%3D"));
      }
    }
    return url.toString();
  }

  static Properties credentials(TestDatabase db) {
    Properties properties = new Properties();
    properties.setProperty("user", db.user());
    if (db.password() != null) {
      properties.setProperty("password", db.password());
    }
    return properties;
  }

  /** Creates each role unless it exists (roles are per server, shared by the test classes). */
  static void roles(TestDatabase db, String... roles) {
    for (String role : roles) {
      if (db.<Long>value("SELECT count(*) FROM pg_roles WHERE rolname = ?", role) == 0) {
        db.execute("CREATE ROLE " + Identifiers.quote(role));
      }
    }
  }
}
