package dev.mview.refresh;

import dev.mview.MviewException;
import dev.mview.model.QualifiedName;
import dev.mview.sql.Identifiers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where refreshes are recorded, and what the records say. PostgreSQL keeps no refresh time, so
 * every refresh the engine runs writes one row per view it refreshed or failed to refresh into a
 * table {@value #TABLE}, created on first use: in a refresh's own transaction the row commits with
 * the refresh (never without it); a failure is written after its rollback; inside a caller's
 * transaction the rows are the caller's and go with its commit or rollback. Skipped views get no
 * row. The table keeps the newest {@link #keepPerView()} rows of each view (and always the view's
 * last successful one).
 *
 * <p>The settings are immutable: {@link #defaults()} (beside the tool's own history, or the
 * connection's current schema for direct calls), {@link #inSchema}, {@link #off()}, each refined
 * by {@link #keepPerView(int)} and {@link #ranBy(String)}. The readers ({@link #lastSuccessful},
 * {@link #lastAttempts}, {@link #lastDurations}) read every {@value #TABLE} table of the database
 * the session may read, whichever tool wrote it.
 */
public final class RefreshHistory {
  /** The history table's name, in whichever schema it lives. */
  public static final String TABLE = "mview_refresh_history";
  /** Rows kept per view unless told otherwise. */
  public static final int DEFAULT_KEEP_PER_VIEW = 100;

  private final boolean enabled;
  private final String schema;
  private final int keepPerView;
  private final String ranBy;

  private RefreshHistory(boolean enabled, String schema, int keepPerView, String ranBy) {
    this.enabled = enabled;
    this.schema = schema;
    this.keepPerView = keepPerView;
    this.ranBy = ranBy;
  }

  /**
   * Recorded beside the tool's own history (Flyway's or Liquibase's schema), or, for a direct
   * call, in the connection's current schema; {@value #DEFAULT_KEEP_PER_VIEW} rows per view;
   * ran by {@code java}.
   */
  public static RefreshHistory defaults() {
    return new RefreshHistory(true, null, DEFAULT_KEEP_PER_VIEW, "java");
  }

  /** Recorded in {@code schema} (a stored name), whichever tool runs the refresh. */
  public static RefreshHistory inSchema(String schema) {
    if (schema == null || schema.isBlank()) {
      throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "the refresh history schema must not be blank,"
          + " was " + (schema == null ? "null" : "'" + schema + "'") + "; use RefreshHistory.defaults() for the default");
    }
    return new RefreshHistory(true, schema, DEFAULT_KEEP_PER_VIEW, "java");
  }

  /** Nothing recorded, nothing created. */
  public static RefreshHistory off() {
    return new RefreshHistory(false, null, DEFAULT_KEEP_PER_VIEW, "java");
  }

  /** These settings keeping the newest {@code rows} rows of each view (at least 1). */
  public RefreshHistory keepPerView(int rows) {
    if (rows < 1) {
      throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "refresh history keepPerView must be at least 1,"
          + " was " + rows + "; use RefreshHistory.off() to record nothing");
    }
    return new RefreshHistory(enabled, schema, rows, ranBy);
  }

  /** These settings naming {@code frontEnd} as what ran the refresh ({@code flyway callback}, {@code cli}, ...). */
  public RefreshHistory ranBy(String frontEnd) {
    if (frontEnd == null || frontEnd.isBlank()) {
      throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "refresh history ranBy must not be blank");
    }
    return new RefreshHistory(enabled, schema, keepPerView, frontEnd);
  }

  /**
   * For front ends: these settings with {@code schema} where none was chosen (the host tool's
   * history schema) and {@code frontEnd} as what ran it.
   */
  public RefreshHistory beside(String schema, String frontEnd) {
    RefreshHistory placed = this.schema != null || schema == null ? this
        : new RefreshHistory(enabled, schema, keepPerView, ranBy);
    return placed.ranBy(frontEnd);
  }

  /** Whether refreshes are recorded. */
  public boolean enabled() {
    return enabled;
  }

  /** The schema of the table; empty for the default (the tool's history schema, else the current schema). */
  public Optional<String> schema() {
    return Optional.ofNullable(schema);
  }

  /** Rows kept per view. */
  public int keepPerView() {
    return keepPerView;
  }

  /** What ran the refreshes, as recorded in each row. */
  public String ranBy() {
    return ranBy;
  }

  /**
   * For refreshes that run as statements in a host tool's transaction (a Liquibase changeset): the
   * statements that create the table when it is missing. The schema must be chosen.
   *
   * @throws MviewException of kind {@link MviewException.Kind#INTERNAL} when history is off or no
   *     schema was chosen
   */
  public List<String> tableStatements() {
    return HistoryWriter.createStatements(table());
  }

  /**
   * For refreshes that run as statements in a host tool's transaction: the statements that go
   * before {@code entry}'s refresh statements and after them, so that its row is written in the
   * same transaction. {@code withData} is the refresh's ({@link RefreshOptions#withData()}).
   *
   * @throws MviewException as {@link #tableStatements()} does
   */
  public Statements statements(PlannedRefresh entry, boolean withData) {
    return new Statements(List.of(HistoryWriter.START),
        HistoryWriter.recordStatements(table(), keepPerView, ranBy, entry, withData));
  }

  /**
   * SQL around one view's refresh statements.
   *
   * @param before the statements before the refresh
   * @param after the statements after it
   */
  public record Statements(List<String> before, List<String> after) {
    /** The lists are copied. */
    public Statements {
      before = List.copyOf(before);
      after = List.copyOf(after);
    }
  }

  private QualifiedName table() {
    if (!enabled || schema == null) {
      throw new MviewException(MviewException.Kind.INTERNAL, "refresh history statements need history on and a schema"
          + " chosen (" + this + ")");
    }
    return QualifiedName.of(schema, TABLE);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RefreshHistory that && enabled == that.enabled && keepPerView == that.keepPerView
        && Objects.equals(schema, that.schema) && ranBy.equals(that.ranBy);
  }

  @Override
  public int hashCode() {
    return Objects.hash(enabled, schema, keepPerView, ranBy);
  }

  @Override
  public String toString() {
    return enabled ? "history in " + (schema == null ? "(default schema)" : schema) + "." + TABLE + ", keep "
        + keepPerView + " per view, ran by " + ranBy : "history off";
  }

  /**
   * Each view's last successful refresh, by view name; views never refreshed by mview (or whose
   * rows are gone) are absent. Empty when there is no history table.
   *
   * @throws MviewException of kind {@link MviewException.Kind#DATABASE} when the tables cannot be read
   */
  public static Map<QualifiedName, HistoryEntry> lastSuccessful(Connection connection) {
    return latest(connection, "outcome = 'REFRESHED'");
  }

  /** Each view's last recorded refresh, successful or not, by view name. */
  public static Map<QualifiedName, HistoryEntry> lastAttempts(Connection connection) {
    return latest(connection, "true");
  }

  /**
   * How long each view's last successful refresh took, by view name: what a scheduler can use to
   * start the longest work first.
   */
  public static Map<QualifiedName, Duration> lastDurations(Connection connection) {
    Map<QualifiedName, Duration> durations = new LinkedHashMap<>();
    lastSuccessful(connection).forEach((view, entry) -> durations.put(view, entry.duration()));
    return durations;
  }

  /** Every history table of the database this session may read. */
  static List<QualifiedName> tables(Connection connection) throws SQLException {
    List<QualifiedName> tables = new ArrayList<>();
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(
        "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relname = '" + TABLE + "' AND c.relkind IN ('r', 'p')"
            + " AND has_table_privilege(c.oid, 'SELECT')"
            + " AND (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND NOT a.attisdropped"
            + " AND a.attname IN ('view_schema', 'view_name', 'outcome', 'started_at', 'finished_at')) = 5"
            + " ORDER BY n.nspname")) {
      while (rs.next()) {
        tables.add(QualifiedName.of(rs.getString(1), rs.getString(2)));
      }
    }
    return tables;
  }

  private static Map<QualifiedName, HistoryEntry> latest(Connection connection, String condition) {
    try {
      List<QualifiedName> tables = tables(connection);
      Map<QualifiedName, HistoryEntry> latest = new LinkedHashMap<>();
      if (tables.isEmpty()) {
        return latest;
      }
      String union = tables.stream()
          .map(table -> "SELECT " + COLUMNS + " FROM " + Identifiers.quote(table) + " WHERE " + condition)
          .collect(Collectors.joining(" UNION ALL "));
      String sql = "SELECT DISTINCT ON (view_schema, view_name) " + COLUMNS + " FROM (" + union + ") h"
          + " ORDER BY view_schema, view_name, finished_at DESC NULLS LAST, started_at DESC NULLS LAST";
      try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
        while (rs.next()) {
          HistoryEntry entry = entry(rs);
          latest.put(entry.view(), entry);
        }
      }
      return latest;
    } catch (SQLException e) {
      throw new MviewException(MviewException.Kind.DATABASE, "cannot read the refresh history: " + e.getMessage(), e);
    }
  }

  private static final String COLUMNS = "view_schema, view_name, started_at, finished_at, strategy, reason, outcome,"
      + " row_count, message, ran_by, host, db_user";

  private static HistoryEntry entry(ResultSet rs) throws SQLException {
    long rows = rs.getLong("row_count");
    Long rowCount = rs.wasNull() ? null : rows;
    return new HistoryEntry(QualifiedName.of(rs.getString("view_schema"), rs.getString("view_name")),
        instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at")),
        RefreshStrategy.valueOf(rs.getString("strategy")), rs.getString("reason"),
        RefreshOutcome.valueOf(rs.getString("outcome")), rowCount, rs.getString("message"), rs.getString("ran_by"),
        rs.getString("host"), rs.getString("db_user"));
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
