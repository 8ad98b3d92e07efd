package dev.mview.refresh;

import dev.mview.MviewException;
import dev.mview.catalog.Catalog;
import dev.mview.internal.Unit;
import dev.mview.internal.sql.Ddl;
import dev.mview.model.QualifiedName;
import dev.mview.sql.Identifiers;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Refreshes one planned view on one connection: per-view settings, the view's advisory lock, the
 * refresh in its own transaction (or under a savepoint of the caller's), and the row count.
 */
final class ViewRunner implements ViewRefresh {
  private static final System.Logger LOG = System.getLogger("dev.mview.refresh");

  /**
   * Session-local settings applied to each view's transactions, and the history the refreshes are
   * recorded in (null: none).
   */
  record Settings(Duration lockTimeout, Duration statementTimeout, OnBusy onBusy, boolean withData,
      HistoryWriter history) {
    static Settings of(RefreshOptions options, HistoryWriter history) {
      return new Settings(options.lockTimeout().orElse(null), options.statementTimeout().orElse(null),
          options.onBusy(), options.withData(), history);
    }
  }

  private final Connection connection;
  private final Settings settings;
  private Integer workersPerGather;

  ViewRunner(Connection connection, Settings settings) {
    this.connection = connection;
    this.settings = settings;
  }

  @Override
  public RefreshResult refresh(PlannedRefresh entry, Integer workersPerGather) {
    this.workersPerGather = workersPerGather;
    LOG.log(Level.INFO, "refreshing {0} {1}: {2}", entry.view(), entry.strategy(), entry.reason());
    RefreshResult result;
    try {
      result = connection.getAutoCommit() ? runInOwnTransactions(entry) : runInCallersTransaction(entry);
    } catch (SQLException e) {
      result = failed(entry, entry.strategy(), entry.reason(), e, null);
    }
    log(result);
    return result;
  }

  /** Auto-commit connection: each view in its own transaction(s), committed before the next view. */
  private RefreshResult runInOwnTransactions(PlannedRefresh entry) throws SQLException {
    connection.setAutoCommit(false);
    boolean locked = false;
    Instant started = null;
    try {
      locked = applySettingsAndLock(entry.view());
      if (!locked) {
        connection.rollback();
        return busy(entry);
      }
      started = Instant.now();
      PlannedRefresh current = entry.swap() != null && stale(entry.swap()) ? replan(entry.view()) : entry;
      RefreshResult done = current.swap() != null ? swap(current, started) : refreshInPlace(current, started, true);
      connection.commit();
      return done.outcome() == RefreshOutcome.FAILED ? recordFailure(done, true) : done;
    } catch (SQLException e) {
      rollbackQuietly();
      return recordFailure(failed(entry, entry.strategy(), entry.reason(), e, started), true);
    } catch (MviewException e) {
      rollbackQuietly();
      return recordFailure(new RefreshResult(entry.view(), entry.strategy(), entry.reason(), RefreshOutcome.FAILED,
          e.getMessage(), started, Instant.now(), null), true);
    } finally {
      try {
        if (locked) {
          unlock(entry.view());
          connection.commit();
        }
      } finally {
        connection.setAutoCommit(true);
      }
    }
  }

  /**
   * Inside a caller's transaction: as a unit under a savepoint, so a failure undoes only this view
   * and the caller's transaction stays usable; settings are put back afterwards since SET LOCAL
   * outlives the savepoint.
   */
  private RefreshResult runInCallersTransaction(PlannedRefresh entry) throws SQLException {
    String[] previous = currentSettings();
    boolean locked = false;
    Instant started = null;
    try (Unit unit = Unit.begin(connection)) {
      locked = applySettingsAndLock(entry.view());
      if (!locked) {
        return busy(entry); // closing the unit rolls back to its savepoint
      }
      started = Instant.now();
      RefreshResult done = refreshInPlace(entry, started, false);
      unit.commit();
      return done;
    } catch (SQLException e) {
      return recordFailure(failed(entry, entry.strategy(), entry.reason(), e, started), false);
    } finally {
      if (locked) {
        unlock(entry.view());
      }
      restoreSettings(previous);
    }
  }

  /**
   * Refreshes in place and records it: with {@code commit}, commits with its history row (the rows
   * are counted after the commit, so readers of a plain refresh do not wait for the count); else
   * inside the caller's transaction.
   */
  private RefreshResult refreshInPlace(PlannedRefresh entry, Instant started, boolean commit) throws SQLException {
    for (String sql : entry.cleanupStatements()) {
      execute(sql);
    }
    execute(entry.refreshStatement());
    Instant finished = Instant.now();
    if (commit) {
      return commitRecorded(entry, entry.strategy(), entry.reason(), started, finished, List.of());
    }
    RefreshResult done = new RefreshResult(entry.view(), entry.strategy(), entry.reason(), RefreshOutcome.REFRESHED,
        null, started, finished, settings.withData() ? count(entry.view()) : null);
    if (settings.history() != null) {
      settings.history().insert(connection, done);
    }
    return done;
  }

  /**
   * Writes the history rows of a refresh done in the open transaction (the view's, and those of
   * {@code members} rebuilt with it), commits them with it, then counts the view's rows and adds
   * the count to its row (in the transaction the caller commits with the unlock).
   */
  private RefreshResult commitRecorded(PlannedRefresh entry, RefreshStrategy strategy, String reason, Instant started,
      Instant finished, List<QualifiedName> members) throws SQLException {
    HistoryWriter history = settings.history();
    RefreshResult uncounted = new RefreshResult(entry.view(), strategy, reason, RefreshOutcome.REFRESHED, null,
        started, finished, null);
    Long id = null;
    if (history != null) {
      id = history.insert(connection, uncounted);
      for (QualifiedName member : members) {
        history.insert(connection, new RefreshResult(member, strategy, "rebuilt with " + entry.view() + ": " + reason,
            RefreshOutcome.REFRESHED, null, started, finished, null));
      }
    }
    connection.commit();
    Long rows = !settings.withData() ? null : id != null ? history.countRows(connection, id, entry.view())
        : count(entry.view());
    return new RefreshResult(entry.view(), strategy, reason, RefreshOutcome.REFRESHED, null, started, finished, rows);
  }

  /** {@code result}, a failure, recorded in the history (with {@code commit}, in its own transaction). */
  private RefreshResult recordFailure(RefreshResult result, boolean commit) {
    if (settings.history() != null) {
      settings.history().recordFailure(connection, result, commit);
    }
    return result;
  }

  /**
   * Whether the view is no longer the relation its swap was planned for: another session swapped
   * or replaced it while this one waited for the view's lock.
   */
  private boolean stale(PlannedRefresh.Swap swap) throws SQLException {
    Long current = relationOid(swap.view());
    return current == null || current != swap.oid();
  }

  /**
   * The view's refresh planned again, under its lock, from the catalog as it is now: a swap
   * planned before another session's swap of the same view names an OID that is gone.
   */
  private PlannedRefresh replan(QualifiedName view) {
    RefreshOptions again = RefreshOptions.builder().views(view).swap(true).withData(settings.withData()).build();
    PlannedRefresh entry = RefreshPlanner.plan(Catalog.read(connection), again, false).entry(view).orElseThrow();
    LOG.log(Level.INFO, "re-planned {0} under its lock: {1} {2}", view, entry.strategy(), entry.reason());
    return entry;
  }

  /**
   * Builds the copy in one transaction (readers of the live view go on), then drops the live view
   * and renames the copy into place in a second, short one. When something other than a view
   * depends on the live view, the drop fails: the copy is dropped and the view refreshed plain.
   * When the view was replaced meanwhile (a migration dropped and created it: a new OID), the copy
   * of the old definition is dropped, the new view is left alone and the refresh fails, saying so.
   */
  private RefreshResult swap(PlannedRefresh entry, Instant started) throws SQLException {
    PlannedRefresh.Swap swap = entry.swap();
    for (String sql : entry.cleanupStatements()) {
      execute(sql);
    }
    for (String sql : swap.build()) {
      execute(sql);
    }
    connection.commit();
    String replaced;
    try {
      applySettings();
      replaced = install(entry.view(), swap);
      if (replaced == null) {
        return commitRecorded(entry, RefreshStrategy.SWAP, entry.reason(), started, Instant.now(), swap.members());
      }
    } catch (SQLException e) {
      dropCopy(swap);
      if (!"2BP01".equals(e.getSQLState())) { // dependent_objects_still_exist
        throw e;
      }
      String reason = entry.reason() + "; swap impossible (" + firstLine(e) + "), refreshed plain instead";
      applySettings();
      execute(Ddl.refresh(entry.view(), false, true));
      for (QualifiedName member : swap.members()) {
        execute(Ddl.refresh(member, false, true));
      }
      return commitRecorded(entry, RefreshStrategy.PLAIN, reason, started, Instant.now(), swap.members());
    }
    // Not refreshed plain instead: the new view is not what was planned (it may be meant to stay
    // WITH NO DATA, or be far bigger), and its CREATE has just filled it anyway.
    dropCopy(swap);
    return new RefreshResult(entry.view(), RefreshStrategy.SWAP, entry.reason(), RefreshOutcome.FAILED, replaced,
        started, Instant.now(), null);
  }

  /**
   * In the open transaction: drops the live view and renames the copy and its indexes into place,
   * but only if what is dropped is the relation of the planned OID. Returns null when installed, or
   * why not (the transaction then holds a drop to roll back).
   *
   * <p>Materialized views cannot be locked ahead ({@code LOCK TABLE} refuses them), so the name is
   * checked before the drop, which catches a replacement committed during the build, and the drop
   * is checked after: {@code DROP} resolves the name again once it holds its ACCESS EXCLUSIVE lock
   * (a replacement committed while it waited makes it drop the new relation and let go of the old
   * one's lock), and a lock is kept until the transaction ends even on a dropped relation. So this
   * transaction holds ACCESS EXCLUSIVE on the planned OID exactly when the drop removed that one.
   */
  private String install(QualifiedName view, PlannedRefresh.Swap swap) throws SQLException {
    for (int i = 0; i < swap.relations().size(); i++) {
      QualifiedName relation = swap.relations().get(i);
      Long current = relationOid(relation);
      if (current == null || current != (long) swap.oids().get(i)) {
        return replaced(view, swap, (relation.equals(view) ? "it" : relation.toString())
            + (current == null ? " no longer exists" : " is now OID " + current));
      }
    }
    for (String sql : swap.install().subList(0, swap.viewDrop() + 1)) {
      execute(sql);
    }
    if (!holdsAccessExclusive(swap.oid())) {
      return replaced(view, swap, "it was replaced while the old one was being dropped");
    }
    for (String sql : swap.install().subList(swap.viewDrop() + 1, swap.install().size())) {
      execute(sql);
    }
    return null;
  }

  private static String replaced(QualifiedName view, PlannedRefresh.Swap swap, String how) {
    return view + " was replaced while it was being refreshed (planned for OID " + swap.oid() + "; " + how
        + "): nothing was swapped, the new " + view + " was left as it is; refresh it again";
  }

  /** Rolls back the open transaction and drops the copies in their own. */
  private void dropCopy(PlannedRefresh.Swap swap) throws SQLException {
    connection.rollback();
    for (String sql : swap.discard()) {
      execute(sql);
    }
    connection.commit();
  }

  private long count(QualifiedName view) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + Identifiers.quote(view))) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static RefreshResult busy(PlannedRefresh entry) {
    return new RefreshResult(entry.view(), entry.strategy(), entry.reason(), RefreshOutcome.SKIPPED_BUSY,
        "another session holds its refresh lock", null, null, null);
  }

  private static RefreshResult failed(PlannedRefresh entry, RefreshStrategy strategy, String reason,
      SQLException e, Instant started) {
    return new RefreshResult(entry.view(), strategy, reason, RefreshOutcome.FAILED, firstLine(e), started,
        started == null ? null : Instant.now(), null);
  }

  private static String firstLine(SQLException e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline))
        + (e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]");
  }

  /**
   * {@link #applySettings} and then the view's advisory lock, waiting or not by option, in one
   * round trip; false when it is busy and we skip. The settings are a materialized CTE, so they
   * are in force before the lock is asked for: {@code lock_timeout} bounds the wait.
   */
  private boolean applySettingsAndLock(QualifiedName view) throws SQLException {
    boolean skip = settings.onBusy() == OnBusy.SKIP;
    try (PreparedStatement statement = connection.prepareStatement("WITH settings AS MATERIALIZED (" + SET_LOCAL
        + ") SELECT " + Refresher.lockExpression(skip ? "pg_try_advisory_lock" : "pg_advisory_lock", view)
        + " FROM settings")) {
      bindSettings(statement);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return !skip || rs.getBoolean(1);
      }
    }
  }

  private void unlock(QualifiedName view) throws SQLException {
    execute(Refresher.lockCall("pg_advisory_unlock", view));
  }

  private static final String[] SETTINGS = {"lock_timeout", "statement_timeout", "max_parallel_workers_per_gather"};

  /** SET LOCAL for what the options ask, the timeouts and the parallel-worker cap bound in that order. */
  private static final String SET_LOCAL =
      "SELECT set_config('lock_timeout', coalesce(?, current_setting('lock_timeout')), true),"
          + " set_config('statement_timeout', coalesce(?, current_setting('statement_timeout')), true),"
          + " set_config('max_parallel_workers_per_gather', least(current_setting("
          + "'max_parallel_workers_per_gather')::int, coalesce(?, 1024))::text, true)";

  /** SET LOCAL for what the options ask; only inside a transaction. */
  private void applySettings() throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(SET_LOCAL)) {
      bindSettings(statement);
      statement.execute();
    }
  }

  private void bindSettings(PreparedStatement statement) throws SQLException {
    statement.setString(1, settings.lockTimeout() == null ? null : settings.lockTimeout().toMillis() + "ms");
    statement.setString(2, settings.statementTimeout() == null ? null : settings.statementTimeout().toMillis() + "ms");
    if (workersPerGather == null) {
      statement.setNull(3, java.sql.Types.INTEGER);
    } else {
      statement.setInt(3, workersPerGather);
    }
  }

  private String[] currentSettings() throws SQLException {
    String[] values = new String[SETTINGS.length];
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(
        "SELECT current_setting('lock_timeout'), current_setting('statement_timeout'),"
            + " current_setting('max_parallel_workers_per_gather')")) {
      rs.next();
      for (int i = 0; i < values.length; i++) {
        values[i] = rs.getString(i + 1);
      }
    }
    return values;
  }

  private void restoreSettings(String[] values) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT set_config(?, ?, true), set_config(?, ?, true), set_config(?, ?, true)")) {
      for (int i = 0; i < values.length; i++) {
        statement.setString(2 * i + 1, SETTINGS[i]);
        statement.setString(2 * i + 2, values[i]);
      }
      statement.execute();
    }
  }

  /** The OID the name resolves to now, or null when there is no such relation. */
  private Long relationOid(QualifiedName name) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT to_regclass(?)::oid::bigint")) {
      statement.setString(1, Identifiers.quote(name));
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        long oid = rs.getLong(1);
        return rs.wasNull() ? null : oid;
      }
    }
  }

  /** Whether this session holds ACCESS EXCLUSIVE on the relation {@code oid} of the current database. */
  private boolean holdsAccessExclusive(long oid) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT EXISTS (SELECT FROM pg_locks"
        + " WHERE locktype = 'relation' AND relation = ?::oid AND pid = pg_backend_pid() AND granted"
        + " AND mode = 'AccessExclusiveLock'"
        + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))")) {
      statement.setLong(1, oid);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private void rollbackQuietly() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the failure already reported says why
    }
  }

  private static void log(RefreshResult result) {
    switch (result.outcome()) {
      case REFRESHED -> LOG.log(Level.INFO, "refreshed {0} {1} in {2} ms, {3} rows", result.view(),
          result.strategy(), result.duration().toMillis(), result.rows());
      case FAILED -> LOG.log(Level.WARNING, "refresh of {0} failed: {1}", result.view(), result.message());
      default -> LOG.log(Level.INFO, "skipped {0}: {1}", result.view(), result.message());
    }
  }
}
