package dev.mview.refresh;

import dev.mview.MviewException;
import dev.mview.catalog.Catalog;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewModel;
import dev.mview.sql.Identifiers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import javax.sql.DataSource;

/**
 * Refreshes materialized views: only those asked for (plus, on request, the materialized views they
 * read and those that read them), each once, upstream first, each without blocking readers where it
 * can, and says per view how and why.
 *
 * <p>Per view, the planner picks:
 *
 * <ul>
 *   <li>{@link RefreshStrategy#CONCURRENTLY} when the view is populated and has a unique index on
 *       plain columns with no {@code WHERE}: readers go on during the refresh;
 *   <li>{@link RefreshStrategy#SWAP} when it has no such index, {@link RefreshOptions#swap()} is
 *       on, no view reads it and the runner owns its transactions: built beside the view and
 *       swapped in, readers wait only for the short swap;
 *   <li>{@link RefreshStrategy#PLAIN} otherwise, with the reason ({@code not populated},
 *       {@code no usable unique index: idx_x is partial}, ...); in mode
 *       {@link RefreshMode#CONCURRENTLY} the plan fails instead.
 * </ul>
 *
 * <p>Two sessions never refresh the same view at once: each view is refreshed under the session
 * advisory lock {@code pg_advisory_lock(LOCK_CLASS, lockKey(view))} (see {@link #lockKey}); other
 * tools may take the same lock to keep out of the way. Progress is logged per view through
 * {@link System.Logger} {@code dev.mview.refresh}. Each view refreshed (or failed) is recorded in
 * the refresh history ({@link RefreshOptions#history()}, {@link RefreshHistory}).
 */
public final class Refresher {
  /**
   * The first key of every refresh advisory lock ({@code 0x6D766965}, "mvie" in ASCII); shows as
   * {@code classid} in {@code pg_locks}.
   */
  public static final int LOCK_CLASS = 0x6D766965;

  private Refresher() {}

  /**
   * The second key of {@code view}'s refresh advisory lock (its {@code objid} in {@code pg_locks}):
   * the CRC-32 of its quoted SQL name ({@code schema.name}, quoted as {@code quote_ident} does) in
   * UTF-8, as a signed 32-bit integer. Keyed by name, not OID, because a swap changes the OID.
   */
  public static int lockKey(QualifiedName view) {
    CRC32 crc = new CRC32();
    crc.update(Identifiers.quote(view).getBytes(StandardCharsets.UTF_8));
    return (int) crc.getValue();
  }

  /**
   * {@code SELECT pg_advisory_xact_lock(LOCK_CLASS, lockKey(view))}: the same lock as the runner's,
   * held until the end of the caller's transaction. For refreshes that run as statements inside a
   * host tool's transaction (a Liquibase changeset), so that they and the runner never refresh the
   * same view at once: session and transaction advisory locks share one key space.
   */
  public static String transactionLock(QualifiedName view) {
    return lockCall("pg_advisory_xact_lock", view);
  }

  /**
   * {@code SELECT function(LOCK_CLASS, lockKey(view))}: the one way every advisory-lock statement
   * of a view's refresh lock is written ({@code pg_advisory_lock}, {@code pg_try_advisory_lock},
   * {@code pg_advisory_unlock}, {@code pg_advisory_xact_lock}).
   */
  static String lockCall(String function, QualifiedName view) {
    return "SELECT " + lockExpression(function, view);
  }

  /** {@code function(LOCK_CLASS, lockKey(view))}, for a statement that does more than take the lock. */
  static String lockExpression(String function, QualifiedName view) {
    return function + "(" + LOCK_CLASS + ", " + lockKey(view) + ")";
  }

  /**
   * Which views a refresh with {@code options} would touch, in order, with strategy and reason.
   * Reads the catalog and, when the history is on, each view's last refresh duration (a fixed
   * number of queries); changes nothing. On a connection inside a transaction (auto-commit off),
   * swaps are not planned.
   *
   * @throws MviewException when a named view does not exist ({@link MviewException.Kind#NO_SUCH_VIEW})
   *     or is not materialized ({@link MviewException.Kind#NOT_MATERIALIZED}), or when the mode is
   *     {@link RefreshMode#CONCURRENTLY} and a view would be refreshed plain
   *     ({@link MviewException.Kind#CANNOT_REFRESH_WITHOUT_BLOCKING})
   */
  public static RefreshPlan plan(Connection connection, RefreshOptions options) {
    boolean insideTransaction;
    try {
      insideTransaction = !connection.getAutoCommit();
    } catch (SQLException e) {
      throw new MviewException(MviewException.Kind.DATABASE, "cannot plan a refresh: the connection is not usable: " + e.getMessage(), e);
    }
    // Only a swap needs the views' definitions, and reading them waits behind any plain refresh of a
    // relation a view reads; without swaps the planner reads the catalog without taking any lock.
    boolean maySwap = options.swap() && !insideTransaction;
    Catalog catalog = maySwap ? Catalog.read(connection) : Catalog.readWithoutDefinitions(connection);
    Map<QualifiedName, Duration> recorded = options.history().enabled() ? RefreshHistory.lastDurations(connection)
        : Map.of();
    return RefreshPlanner.plan(catalog, options, insideTransaction, recorded);
  }

  /**
   * Plans from {@code catalog}, already read (by {@link Catalog#readWithoutDefinitions} or
   * {@link Catalog#read}), for statements that run inside a transaction: no swaps.
   *
   * @throws MviewException as {@link #plan(Connection, RefreshOptions)} does
   */
  public static RefreshPlan plan(Catalog catalog, RefreshOptions options) {
    return RefreshPlanner.plan(catalog, options, true);
  }

  /**
   * Plans a refresh where there is no database to read, from the views {@code model} declares (as
   * {@link Catalog#assumed} takes them): which of them, in which order, concurrently where a view is
   * declared populated with a unique index on plain columns. A view named in {@code options} that
   * the model does not hold is refreshed plain, first, saying why (concurrently in mode
   * {@link RefreshMode#CONCURRENTLY}, unchecked). The plan is for statements run inside a
   * transaction: no swaps.
   *
   * @throws MviewException as {@link #plan(Connection, RefreshOptions)} does
   */
  public static RefreshPlan planOffline(ViewModel model, RefreshOptions options) {
    return RefreshPlanner.planAssumed(Catalog.assumed(model), options);
  }

  /**
   * Plans and refreshes sequentially on {@code connection}. With auto-commit on, each view commits
   * on its own (swaps possible); inside a caller's transaction each view runs under a savepoint and
   * the caller commits (no swaps: they need their own commits). A failed view is rolled back and
   * its dependents skipped; the others go on. Never throws for a failed view: see the report (and
   * {@link RefreshReport#throwIfFailed()}).
   */
  public static RefreshReport refresh(Connection connection, RefreshOptions options) {
    return refresh(connection, options, result -> { });
  }

  /** As {@link #refresh(Connection, RefreshOptions)}, telling {@code listener} of the plan and of each view as it ends. */
  public static RefreshReport refresh(Connection connection, RefreshOptions options, RefreshListener listener) {
    RefreshPlan plan = plan(connection, options);
    ViewRunner.Settings settings = settings(connection, options, plan);
    listener.planned(plan);
    return Scheduler.sequential(reporting(new ViewRunner(connection, settings), listener), plan);
  }

  private static ViewRefresh reporting(ViewRefresh runner, RefreshListener listener) {
    return (entry, workersPerGather) -> {
      RefreshResult result = runner.refresh(entry, workersPerGather);
      listener.finished(result);
      return result;
    };
  }

  /** The runners' settings, with the history table made ready when there is anything to record. */
  private static ViewRunner.Settings settings(Connection connection, RefreshOptions options, RefreshPlan plan) {
    return ViewRunner.Settings.of(options, plan.isEmpty() ? null : HistoryWriter.prepare(connection, options.history()));
  }

  /**
   * Plans and refreshes on up to {@link RefreshOptions#parallelism()} connections from
   * {@code dataSource}, each view as soon as the planned views it reads are done; of the views ready
   * at once, the one with the longest expected path to the end of the plan first (see
   * {@link PlannedRefresh#estimate()}), ties in plan order. With more than one
   * connection, each refresh caps {@code max_parallel_workers_per_gather} at
   * {@code max(0, serverCores / running - 1)}, {@code running} being the refreshes under way when it
   * starts (the cap with every connection busy is reported in
   * {@link RefreshReport#workersPerGather()}): parallel workers of side-by-side refreshes would
   * otherwise fight for the same cores, while a view refreshed alone keeps them.
   */
  public static RefreshReport refresh(DataSource dataSource, RefreshOptions options) {
    return refresh(dataSource, options, result -> { });
  }

  /** As {@link #refresh(DataSource, RefreshOptions)}, telling {@code listener} of the plan and of each view as it ends. */
  public static RefreshReport refresh(DataSource dataSource, RefreshOptions options, RefreshListener listener) {
    List<Connection> connections = new ArrayList<>();
    try {
      connections.add(open(dataSource));
      RefreshPlan plan = plan(connections.get(0), options);
      int size = Math.max(1, Math.min(options.parallelism(), plan.size()));
      ViewRunner.Settings settings = settings(connections.get(0), options, plan);
      listener.planned(plan);
      if (size == 1) {
        return Scheduler.sequential(reporting(new ViewRunner(connections.get(0), settings), listener), plan);
      }
      while (connections.size() < size) {
        connections.add(open(dataSource));
      }
      List<ViewRefresh> runners = connections.stream()
          .map(connection -> reporting(new ViewRunner(connection, settings), listener)).toList();
      return Scheduler.parallel(runners, plan, options.serverCores());
    } finally {
      connections.forEach(Refresher::closeQuietly);
    }
  }

  private static Connection open(DataSource dataSource) {
    try {
      Connection connection = dataSource.getConnection();
      connection.setAutoCommit(true);
      return connection;
    } catch (SQLException e) {
      throw new MviewException(MviewException.Kind.DATABASE, "cannot refresh: no connection from the data source: " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // nothing left to do with it
    }
  }
}
