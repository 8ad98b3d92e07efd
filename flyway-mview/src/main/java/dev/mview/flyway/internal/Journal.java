package dev.mview.flyway.internal;

import dev.mview.MviewException;
import dev.mview.model.QualifiedName;
import dev.mview.sql.Identifiers;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plugin's own table beside Flyway's schema history: one row per applied view migration,
 * holding the SQL that undoes it as captured when it ran (so the inverse of a replace restores the
 * definition that was live then, not what the next migration's source says). Keyed by the
 * {@code installed_rank} Flyway gives the migration's history row; created on first use.
 */
public final class Journal {
  /** Appended to Flyway's history table name to name the journal. */
  static final String SUFFIX = "_mview";

  private final QualifiedName history;
  private final QualifiedName table;

  private Journal(QualifiedName history) {
    this.history = history;
    this.table = QualifiedName.of(history.schema(), history.name() + SUFFIX);
  }

  /** The journal that goes with the schema history table {@code history}. */
  public static Journal beside(QualifiedName history) {
    return new Journal(history);
  }

  /** Flyway's schema history table. */
  public QualifiedName history() {
    return history;
  }

  /** The journal table itself. */
  public QualifiedName table() {
    return table;
  }

  /**
   * Records what the migration about to be inserted into the history did and how to undo it. Flyway
   * inserts the history row after the migration, in the same locked run, with the next rank; the
   * journal predicts that rank, and readers check that version and checksum agree.
   */
  public void record(Connection connection, String version, String description, String label, Integer checksum,
      String script, List<String> inverse) throws SQLException {
    create(connection);
    int rank = nextRank(connection);
    String sql = "INSERT INTO " + Identifiers.quote(table)
        + " (installed_rank, version, description, label, checksum, script, inverse) VALUES (?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT (installed_rank) DO UPDATE SET version = excluded.version,"
        + " description = excluded.description, label = excluded.label, checksum = excluded.checksum,"
        + " script = excluded.script, inverse = excluded.inverse, installed_on = now()";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setInt(1, rank);
      insert.setString(2, version);
      insert.setString(3, description);
      insert.setString(4, label);
      insert.setObject(5, checksum);
      insert.setString(6, script);
      Array statements = connection.createArrayOf("text", inverse.toArray());
      insert.setArray(7, statements);
      insert.executeUpdate();
    }
  }

  /** Every journal entry by installed rank; empty when the journal does not exist yet. */
  public Map<Integer, JournalEntry> entries(Connection connection) throws SQLException {
    Map<Integer, JournalEntry> entries = new LinkedHashMap<>();
    if (!exists(connection)) {
      return entries;
    }
    String sql = "SELECT installed_rank, version, description, label, checksum, inverse FROM "
        + Identifiers.quote(table) + " ORDER BY installed_rank";
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        String[] inverse = (String[]) rows.getArray("inverse").getArray();
        JournalEntry entry = new JournalEntry(rows.getInt("installed_rank"), rows.getString("version"),
            rows.getString("description"), rows.getString("label"), (Integer) rows.getObject("checksum"),
            Arrays.asList(inverse));
        entries.put(entry.installedRank(), entry);
      }
    }
    return entries;
  }

  /** The SQL that deletes the entry of {@code rank}: for rollback and for undo scripts. */
  public String deleteStatement(int rank) {
    return "DELETE FROM " + Identifiers.quote(table) + " WHERE installed_rank = " + rank;
  }

  /** The SQL that deletes Flyway's history row of {@code rank}. */
  public String deleteHistoryStatement(int rank) {
    return "DELETE FROM " + Identifiers.quote(history) + " WHERE installed_rank = " + rank;
  }

  /** The applied rows of Flyway's history, oldest first. */
  public List<HistoryRow> historyRows(Connection connection) throws SQLException {
    String sql = "SELECT installed_rank, version, description, type, script, checksum, success FROM "
        + Identifiers.quote(history) + " ORDER BY installed_rank";
    List<HistoryRow> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
      while (result.next()) {
        rows.add(new HistoryRow(result.getInt("installed_rank"), result.getString("version"),
            result.getString("description"), result.getString("type"), result.getString("script"),
            (Integer) result.getObject("checksum"), result.getBoolean("success")));
      }
    } catch (SQLException e) {
      throw new MviewException("could not read Flyway's schema history " + history + ": " + e.getMessage()
          + "\nCheck that the Flyway configuration (schemas, table) names the database's history table.", e);
    }
    return rows;
  }

  /** Blocks concurrent migrations while a rollback edits the history. */
  public void lockHistory(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("LOCK TABLE " + Identifiers.quote(history) + " IN EXCLUSIVE MODE");
    }
  }

  private void create(Connection connection) throws SQLException {
    if (exists(connection)) {
      return;
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE " + Identifiers.quote(table) + " ("
          + "installed_rank integer PRIMARY KEY, version text, description text NOT NULL,"
          + " label text NOT NULL, checksum integer, script text NOT NULL, inverse text[] NOT NULL,"
          + " installed_on timestamptz NOT NULL DEFAULT now())");
      statement.execute("COMMENT ON TABLE " + Identifiers.quote(table) + " IS 'mview: the SQL that undoes each"
          + " view migration of " + history.name().replace("'", "''") + ", captured when it ran (used by"
          + " MviewRollback and UndoScripts)'");
    }
  }

  private boolean exists(Connection connection) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      query.setString(1, Identifiers.quote(table));
      try (ResultSet result = query.executeQuery()) {
        result.next();
        return result.getBoolean(1);
      }
    }
  }

  private int nextRank(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT coalesce(max(installed_rank), 0) + 1 FROM "
            + Identifiers.quote(history))) {
      result.next();
      return result.getInt(1);
    }
  }

  /** Where Flyway keeps its history: the configured default schema or first schema, else {@code fallback}. */
  public static QualifiedName historyTable(String defaultSchema, String[] schemas, String table, String fallback) {
    String schema = Optional.ofNullable(defaultSchema)
        .orElse(schemas != null && schemas.length > 0 ? schemas[0] : fallback);
    return QualifiedName.of(schema, table);
  }
}
