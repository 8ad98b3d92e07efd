package dev.mview.refresh;

import dev.mview.MviewException;
import dev.mview.internal.Unit;
import dev.mview.model.QualifiedName;
import dev.mview.sql.Identifiers;
import dev.mview.sql.Literals;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Writes the refresh history ({@link RefreshHistory}) into one resolved table: creates it on first
 * use, inserts a view's row in the transaction that refreshed it, and keeps each view's newest rows.
 */
final class HistoryWriter {
  private static final System.Logger LOG = System.getLogger("dev.mview.refresh");
  private static final String HOST = host();

  private final QualifiedName table;
  private final int keepPerView;
  private final String ranBy;

  private HistoryWriter(QualifiedName table, int keepPerView, String ranBy) {
    this.table = table;
    this.keepPerView = keepPerView;
    this.ranBy = ranBy;
  }

  /**
   * The writer for {@code history} on {@code connection}'s database, its table created when missing
   * (in a transaction of its own, or inside the caller's); null when history is off.
   *
   * @throws MviewException of kind {@link MviewException.Kind#DATABASE} when the table cannot be
   *     created, saying how to create it or turn history off
   */
  static HistoryWriter prepare(Connection connection, RefreshHistory history) {
    if (!history.enabled()) {
      return null;
    }
    QualifiedName table = null;
    try {
      table = QualifiedName.of(history.schema().orElse(currentSchema(connection)), RefreshHistory.TABLE);
      if (!exists(connection, table)) {
        try (Unit unit = Unit.begin(connection); Statement statement = connection.createStatement()) {
          for (String sql : createStatements(table)) {
            statement.execute(sql);
          }
          unit.commit();
        }
      }
      return new HistoryWriter(table, history.keepPerView(), history.ranBy());
    } catch (SQLException e) {
      throw new MviewException(MviewException.Kind.DATABASE, "cannot create the refresh history table "
          + (table == null ? RefreshHistory.TABLE : table) + ": " + e.getMessage() + "; create it once as a role that"
          + " may (and grant INSERT, UPDATE, DELETE, SELECT on it), record it in another schema"
          + " (RefreshHistory.inSchema), or turn history off (RefreshHistory.off())", e);
    }
  }

  /**
   * The statements that create {@code table} when it is missing. Serialised by an advisory lock
   * held to the end of the transaction: two sessions running {@code CREATE TABLE IF NOT EXISTS} at
   * once can both pass the check and one then fails on the catalog's unique index.
   */
  static List<String> createStatements(QualifiedName table) {
    String quoted = Identifiers.quote(table);
    return List.of(
        Refresher.lockCall("pg_advisory_xact_lock", table),
        "CREATE TABLE IF NOT EXISTS " + quoted + " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            + " view_schema text NOT NULL, view_name text NOT NULL, started_at timestamptz, finished_at timestamptz,"
            + " strategy text NOT NULL, reason text NOT NULL, outcome text NOT NULL, row_count bigint, message text,"
            + " ran_by text NOT NULL, host text, db_user text NOT NULL DEFAULT current_user)",
        "CREATE INDEX IF NOT EXISTS " + Identifiers.quote(RefreshHistory.TABLE + "_view_idx") + " ON " + quoted
            + " (view_schema, view_name, id)");
  }

  /** Notes the start of a view's refresh inside a host tool's transaction, for {@link #recordStatements}. */
  static final String START = "SELECT set_config('mview.refresh_started', clock_timestamp()::text, true)";

  /**
   * After {@link #START} and {@code entry}'s refresh inside a host tool's transaction: the insert of
   * its row and the trimming of the view's rows. The host is the client address the server sees
   * when the statements run (null over a Unix socket): a printed script may run anywhere.
   */
  static List<String> recordStatements(QualifiedName table, int keepPerView, String ranBy, PlannedRefresh entry,
      boolean withData) {
    QualifiedName view = entry.view();
    String insert = "INSERT INTO " + Identifiers.quote(table)
        + " (view_schema, view_name, started_at, finished_at, strategy, reason, outcome, row_count, ran_by, host)"
        + " SELECT " + Literals.string(view.schema()) + ", " + Literals.string(view.name())
        + ", current_setting('mview.refresh_started')::timestamptz, clock_timestamp(), "
        + Literals.string(entry.strategy().name()) + ", " + Literals.string(entry.reason()) + ", 'REFRESHED', "
        + (withData ? "(SELECT count(*) FROM " + Identifiers.quote(view) + ")" : "NULL") + ", "
        + Literals.string(ranBy) + ", host(inet_client_addr())";
    return List.of(insert, trim(table, Literals.string(view.schema()), Literals.string(view.name()),
        String.valueOf(keepPerView)));
  }

  /**
   * Deletes a view's rows beyond the newest {@code keep}, never its last successful one (so the
   * time of its last good refresh survives a run of failures).
   */
  private static String trim(QualifiedName table, String schema, String name, String keep) {
    String quoted = Identifiers.quote(table);
    String ofView = " WHERE view_schema = " + schema + " AND view_name = " + name;
    return "DELETE FROM " + quoted + ofView + " AND id <= (SELECT id FROM " + quoted + ofView
        + " ORDER BY id DESC OFFSET " + keep + " LIMIT 1) AND id <> coalesce((SELECT max(id) FROM " + quoted + ofView
        + " AND outcome = 'REFRESHED'), 0)";
  }

  /** The table written to. */
  QualifiedName table() {
    return table;
  }

  /** Inserts {@code result}'s row in the open transaction and trims the view's rows; returns its id. */
  long insert(Connection connection, RefreshResult result) throws SQLException {
    long id;
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + Identifiers.quote(table)
        + " (view_schema, view_name, started_at, finished_at, strategy, reason, outcome, row_count, message, ran_by,"
        + " host) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
      insert.setString(1, result.view().schema());
      insert.setString(2, result.view().name());
      insert.setTimestamp(3, timestamp(result.started()));
      insert.setTimestamp(4, timestamp(result.finished()));
      insert.setString(5, result.strategy().name());
      insert.setString(6, result.reason());
      insert.setString(7, result.outcome().name());
      if (result.rows() == null) {
        insert.setNull(8, Types.BIGINT);
      } else {
        insert.setLong(8, result.rows());
      }
      insert.setString(9, result.message());
      insert.setString(10, ranBy);
      insert.setString(11, HOST);
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
    }
    try (Statement trim = connection.createStatement()) {
      trim.execute(trim(table, Literals.string(result.view().schema()), Literals.string(result.view().name()),
          String.valueOf(keepPerView)));
    }
    return id;
  }

  /**
   * Counts {@code view}'s rows and sets the count on the row {@code id}, in one statement (one
   * round trip after the refresh committed); returns the count.
   */
  long countRows(Connection connection, long id, QualifiedName view) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement("WITH counted AS (SELECT count(*) AS n FROM "
        + Identifiers.quote(view) + "), recorded AS (UPDATE " + Identifiers.quote(table)
        + " SET row_count = (SELECT n FROM counted) WHERE id = ?) SELECT n FROM counted")) {
      update.setLong(1, id);
      try (ResultSet rs = update.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * Records a failed refresh after its rollback, as a unit of its own (committed at once with
   * auto-commit off, else under a savepoint of the caller's). A history that cannot be written
   * must not hide the refresh's own failure: it is logged, not thrown.
   */
  void recordFailure(Connection connection, RefreshResult result, boolean commit) {
    try {
      if (commit) {
        insert(connection, result);
        connection.commit();
      } else {
        try (Unit unit = Unit.begin(connection)) {
          insert(connection, result);
          unit.commit();
        }
      }
    } catch (SQLException e) {
      if (commit) {
        try {
          connection.rollback();
        } catch (SQLException ignored) {
          // the connection is broken; logged below
        }
      }
      LOG.log(Level.WARNING, "could not record the failed refresh of {0} in {1}: {2}", result.view(), table,
          e.getMessage());
    }
  }

  /** PostgreSQL keeps microseconds and would round the rest: cut them here, so a row reads back as the report says. */
  private static Timestamp timestamp(Instant instant) {
    return instant == null ? null : Timestamp.from(instant.truncatedTo(ChronoUnit.MICROS));
  }

  private static boolean exists(Connection connection, QualifiedName table) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      statement.setString(1, Identifiers.quote(table));
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private static String currentSchema(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT current_schema()")) {
      rs.next();
      String schema = rs.getString(1);
      if (schema == null) {
        throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "no schema for the refresh history: the"
            + " connection has no current schema (search_path); name one with RefreshHistory.inSchema");
      }
      return schema;
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException | SecurityException e) {
      return System.getenv("HOSTNAME");
    }
  }
}
