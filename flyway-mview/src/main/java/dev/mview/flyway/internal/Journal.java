package dev.mview.flyway.internal;

import dev.mview.MviewException;
import dev.mview.model.QualifiedName;
import dev.mview.sql.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The plugin's own table beside Flyway's schema history: one row per applied view migration,
 * holding how to undo it: the definitions it replaced, the views it created and what the views it
 * dropped carried (its reversal, which a rollback plans from the catalog as it is then), and the SQL
 * that undoes it as captured when it ran (for undo scripts, written before they run). Either way a
 * replace is undone to the definition that was live then, not to what the next migration's source
 * says. Created on first use.
 *
 * <p>An entry is tied to its history row by what Flyway records of the migration (version,
 * description, checksum), not by the row's rank: Flyway may write the history on another
 * connection, and in group mode after all migrations ran, so the rank is not known while the
 * migration runs. See {@link #match}.
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
   * Records what a migration did and how to undo it, on the migration's connection: the statements
   * that undo it as captured now, and its reversal ({@code dev.mview.plan.Reversal#encode}).
   */
  public void record(Connection connection, String version, String description, String label, Integer checksum,
      String script, List<String> inverse, String reversal) throws SQLException {
    create(connection);
    String sql = "INSERT INTO " + Identifiers.quote(table)
        + " (version, description, label, checksum, script, inverse, reversal) VALUES (?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setString(1, version);
      insert.setString(2, description);
      insert.setString(3, label);
      insert.setObject(4, checksum);
      insert.setString(5, script);
      insert.setArray(6, connection.createArrayOf("text", inverse.toArray()));
      insert.setString(7, reversal);
      insert.executeUpdate();
    }
  }

  /** Every journal entry, oldest first; empty when the journal does not exist yet. */
  public List<JournalEntry> entries(Connection connection) throws SQLException {
    List<JournalEntry> entries = new ArrayList<>();
    if (!exists(connection)) {
      return entries;
    }
    // Read through to_jsonb: a journal created before the reversal column existed has none.
    String sql = "SELECT id, version, description, label, checksum, inverse, to_jsonb(j) ->> 'reversal' AS reversal FROM "
        + Identifiers.quote(table) + " j ORDER BY id";
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        String[] inverse = (String[]) rows.getArray("inverse").getArray();
        entries.add(new JournalEntry(rows.getLong("id"), rows.getString("version"), rows.getString("description"),
            rows.getString("label"), (Integer) rows.getObject("checksum"), Arrays.asList(inverse),
            rows.getString("reversal")));
      }
    }
    return entries;
  }

  /**
   * The journal entry of each successful history row that has one, by the row's rank. A versioned
   * row takes the newest entry of its version; the repeatable rows of one description take that
   * description's entries newest to newest. Either way version, description and checksum must
   * agree, or the row has no entry (and a rollback through it is refused).
   */
  public static Map<Integer, JournalEntry> match(List<HistoryRow> rows, List<JournalEntry> entries) {
    Map<String, Deque<JournalEntry>> byKey = new HashMap<>();
    for (JournalEntry entry : entries) {
      byKey.computeIfAbsent(key(entry.version(), entry.description()), k -> new ArrayDeque<>()).addLast(entry);
    }
    Map<Integer, JournalEntry> matched = new LinkedHashMap<>();
    for (int i = rows.size() - 1; i >= 0; i--) {
      HistoryRow row = rows.get(i);
      Deque<JournalEntry> candidates = byKey.get(key(row.version(), row.description()));
      if (!row.success() || candidates == null || candidates.isEmpty()) {
        continue;
      }
      JournalEntry entry = row.version() != null ? candidates.peekLast() : candidates.pollLast();
      if (Objects.equals(entry.checksum(), row.checksum())) {
        matched.put(row.installedRank(), entry);
      }
    }
    return matched;
  }

  private static String key(String version, String description) {
    return (version == null ? "R" : "V" + version) + "\0" + description;
  }

  /** The SQL that deletes journal entry {@code id}: for rollback and for undo scripts. */
  public String deleteStatement(long id) {
    return "DELETE FROM " + Identifiers.quote(table) + " WHERE id = " + id;
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
      throw new MviewException(MviewException.Kind.DATABASE, "could not read Flyway's schema history " + history + ": " + e.getMessage()
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
      try (Statement statement = connection.createStatement()) {
        // a journal from before reversals were kept
        statement.execute("ALTER TABLE " + Identifiers.quote(table) + " ADD COLUMN IF NOT EXISTS reversal text");
      }
      return;
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE " + Identifiers.quote(table) + " ("
          + "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, version text, description text NOT NULL,"
          + " label text NOT NULL, checksum integer, script text NOT NULL, inverse text[] NOT NULL,"
          + " installed_on timestamptz NOT NULL DEFAULT now(), reversal text)");
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

  /** Where Flyway keeps its history: the configured default schema or first schema, else {@code fallback}. */
  public static QualifiedName historyTable(String defaultSchema, String[] schemas, String table, String fallback) {
    String schema = Optional.ofNullable(defaultSchema)
        .orElse(schemas != null && schemas.length > 0 ? schemas[0] : fallback);
    return QualifiedName.of(schema, table);
  }
}
