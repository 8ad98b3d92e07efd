package dev.mview.refresh;

import dev.mview.MviewException;
import dev.mview.model.QualifiedName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to refresh and how. Immutable; made with {@link #builder()}. With neither {@code views} nor
 * {@code schemas}, every materialized view of the database is a target.
 *
 * <pre>{@code
 * RefreshOptions options = RefreshOptions.builder()
 *     .views(QualifiedName.parse("analytics.weekly_sales"))
 *     .includeUpstream(true)      // and the materialized views it reads, first
 *     .swap(true)                 // views without a usable unique index: build beside, swap in
 *     .parallelism(4)
 *     .lockTimeout(Duration.ofSeconds(5))
 *     .build();
 * }</pre>
 */
public final class RefreshOptions {
  private final List<QualifiedName> views;
  private final List<String> schemas;
  private final boolean includeUpstream;
  private final boolean includeDownstream;
  private final RefreshMode mode;
  private final boolean withData;
  private final boolean swap;
  private final int parallelism;
  private final int serverCores;
  private final Duration lockTimeout;
  private final Duration statementTimeout;
  private final OnBusy onBusy;
  private final Map<QualifiedName, Duration> expectedDurations;
  private final RefreshHistory history;

  private RefreshOptions(Builder builder) {
    this.views = List.copyOf(builder.views);
    this.schemas = List.copyOf(builder.schemas);
    this.includeUpstream = builder.includeUpstream;
    this.includeDownstream = builder.includeDownstream;
    this.mode = builder.mode;
    this.withData = builder.withData;
    this.swap = builder.swap;
    this.parallelism = builder.parallelism;
    this.serverCores = builder.serverCores;
    this.lockTimeout = builder.lockTimeout;
    this.statementTimeout = builder.statementTimeout;
    this.onBusy = builder.onBusy;
    this.expectedDurations = Collections.unmodifiableMap(new LinkedHashMap<>(builder.expectedDurations));
    this.history = builder.history;
  }

  /** A builder with every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** Every materialized view of the database, {@link RefreshMode#AUTO}, one connection. */
  public static RefreshOptions defaults() {
    return builder().build();
  }

  /** A builder holding these options, to derive others. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.views.addAll(views);
    builder.schemas.addAll(schemas);
    return builder.includeUpstream(includeUpstream).includeDownstream(includeDownstream).mode(mode)
        .withData(withData).swap(swap).parallelism(parallelism).serverCores(serverCores)
        .lockTimeout(lockTimeout).statementTimeout(statementTimeout).onBusy(onBusy)
        .expectedDurations(expectedDurations).history(history);
  }

  /** Target materialized views named one by one. */
  public List<QualifiedName> views() {
    return views;
  }

  /** Schemas whose materialized views are all targets. */
  public List<String> schemas() {
    return schemas;
  }

  /** Whether the materialized views the targets read (directly or through views) are refreshed first. */
  public boolean includeUpstream() {
    return includeUpstream;
  }

  /** Whether the materialized views that read the targets (directly or not) are refreshed after them. */
  public boolean includeDownstream() {
    return includeDownstream;
  }

  /** How to refresh: without blocking readers where possible, never blocking them, or plain. */
  public RefreshMode mode() {
    return mode;
  }

  /** False refreshes {@code WITH NO DATA} (plain, leaving the views unpopulated). */
  public boolean withData() {
    return withData;
  }

  /** Whether views without a usable unique index (and that no view reads) are refreshed by a swap. */
  public boolean swap() {
    return swap;
  }

  /** How many connections {@link Refresher#refresh(javax.sql.DataSource, RefreshOptions)} uses at most. */
  public int parallelism() {
    return parallelism;
  }

  /** The database server's cores, to cap parallel query workers per connection when running in parallel. */
  public int serverCores() {
    return serverCores;
  }

  /** {@code lock_timeout} for each view's transactions; empty leaves the session's setting. */
  public Optional<Duration> lockTimeout() {
    return Optional.ofNullable(lockTimeout);
  }

  /** {@code statement_timeout} for each view's statements; empty leaves the session's setting. */
  public Optional<Duration> statementTimeout() {
    return Optional.ofNullable(statementTimeout);
  }

  /** What to do when another session is refreshing a view. */
  public OnBusy onBusy() {
    return onBusy;
  }

  /**
   * How long refreshing each of these views is expected to take; views not named here are
   * estimated from their last refresh in the history (when it is on), else from the catalog. Used
   * to start the longest remaining path first.
   */
  public Map<QualifiedName, Duration> expectedDurations() {
    return expectedDurations;
  }

  /** Where and whether each refreshed view is recorded ({@link RefreshHistory}). */
  public RefreshHistory history() {
    return history;
  }

  /** Collects options; every setting has a default. */
  public static final class Builder {
    private final List<QualifiedName> views = new ArrayList<>();
    private final List<String> schemas = new ArrayList<>();
    private boolean includeUpstream;
    private boolean includeDownstream;
    private RefreshMode mode = RefreshMode.AUTO;
    private boolean withData = true;
    private boolean swap;
    private int parallelism = 1;
    private int serverCores = Runtime.getRuntime().availableProcessors();
    private Duration lockTimeout;
    private Duration statementTimeout;
    private OnBusy onBusy = OnBusy.WAIT;
    private final Map<QualifiedName, Duration> expectedDurations = new LinkedHashMap<>();
    private RefreshHistory history = RefreshHistory.defaults();

    private Builder() {}

    /** Adds target materialized views (stored names; {@link QualifiedName#parse} reads SQL notation). */
    public Builder views(QualifiedName... names) {
      for (QualifiedName name : names) {
        views.add(Objects.requireNonNull(name, "views must not contain null"));
      }
      return this;
    }

    /** Adds schemas (stored names) whose materialized views are all targets. */
    public Builder schemas(String... names) {
      for (String name : names) {
        if (name == null || name.isBlank()) {
          throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "schemas must not contain a blank name");
        }
        schemas.add(name);
      }
      return this;
    }

    /** Also refresh, first, the materialized views the targets read, directly or through other views. Default false. */
    public Builder includeUpstream(boolean includeUpstream) {
      this.includeUpstream = includeUpstream;
      return this;
    }

    /** Also refresh, after them, the materialized views that read the targets, directly or not. Default false. */
    public Builder includeDownstream(boolean includeDownstream) {
      this.includeDownstream = includeDownstream;
      return this;
    }

    /** Default {@link RefreshMode#AUTO}. */
    public Builder mode(RefreshMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** False refreshes {@code WITH NO DATA}, emptying the views. Default true. */
    public Builder withData(boolean withData) {
      this.withData = withData;
      return this;
    }

    /**
     * Refresh views that have no usable unique index, and that no view reads, by building the new
     * contents beside them and swapping names in a short transaction, so readers are not blocked
     * for the build. Off by default because the view gets a new OID (statistics are rebuilt by
     * {@code ANALYZE}; anything bound to the OID outside views, such as extended statistics, is
     * lost), it needs room for two copies, and {@code CREATE} on the schema as well as ownership.
     */
    public Builder swap(boolean swap) {
      this.swap = swap;
      return this;
    }

    /** Connections used at once by the {@code DataSource} runner; at least 1. Default 1. */
    public Builder parallelism(int parallelism) {
      if (parallelism < 1) {
        throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "parallelism must be at least 1, was " + parallelism);
      }
      this.parallelism = parallelism;
      return this;
    }

    /**
     * The database server's cores; default the cores of this JVM's machine. With more than one
     * connection each refresh caps {@code max_parallel_workers_per_gather} at
     * {@code max(0, serverCores / running - 1)}, {@code running} being the refreshes under way as it
     * starts, so refreshes times processes per query stays near the core count instead of
     * oversubscribing it.
     */
    public Builder serverCores(int serverCores) {
      if (serverCores < 1) {
        throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "serverCores must be at least 1, was " + serverCores);
      }
      this.serverCores = serverCores;
      return this;
    }

    /** {@code lock_timeout} for each view (positive, whole milliseconds); null leaves the session's. */
    public Builder lockTimeout(Duration lockTimeout) {
      this.lockTimeout = checkTimeout("lockTimeout", lockTimeout);
      return this;
    }

    /** {@code statement_timeout} for each view's statements (positive, whole milliseconds); null leaves the session's. */
    public Builder statementTimeout(Duration statementTimeout) {
      this.statementTimeout = checkTimeout("statementTimeout", statementTimeout);
      return this;
    }

    /** What to do when another session is refreshing a view. Default {@link OnBusy#WAIT}. */
    public Builder onBusy(OnBusy onBusy) {
      this.onBusy = Objects.requireNonNull(onBusy, "onBusy");
      return this;
    }

    /**
     * Adds how long refreshing each view is expected to take (zero or more; a later duration for
     * a view replaces an earlier one), overriding what the refresh history recorded. Among the
     * views ready to start, the {@code DataSource} runner starts the one with the longest expected
     * path to the end of the plan; views without a duration are estimated from their last successful
     * refresh in the history ({@link #history}, when it is on), else from the size of the view and of
     * what it reads. The plan says which estimate each view got.
     */
    public Builder expectedDurations(Map<QualifiedName, Duration> durations) {
      Objects.requireNonNull(durations, "expectedDurations");
      durations.forEach((view, duration) -> {
        if (view == null) {
          throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "expectedDurations must not contain a"
              + " null view");
        }
        if (duration == null || duration.isNegative()) {
          throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "expectedDurations of " + view
              + " must be zero or more, was " + duration);
        }
        expectedDurations.put(view, duration);
      });
      return this;
    }

    /**
     * Where and whether refreshes are recorded. Default {@link RefreshHistory#defaults()}: beside
     * the tool's own history (Flyway's, Liquibase's), or in the connection's current schema.
     */
    public Builder history(RefreshHistory history) {
      this.history = Objects.requireNonNull(history, "history");
      return this;
    }

    /**
     * The options.
     *
     * @throws MviewException of kind {@link MviewException.Kind#INVALID_DECLARATION} when
     *     {@link RefreshMode#CONCURRENTLY} is asked for with {@code withData(false)}
     */
    public RefreshOptions build() {
      if (mode == RefreshMode.CONCURRENTLY && !withData) {
        throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "mode CONCURRENTLY cannot go with"
            + " withData(false): PostgreSQL cannot empty a view without blocking its readers; use mode AUTO or PLAIN");
      }
      return new RefreshOptions(this);
    }

    /** PostgreSQL keeps timeouts as whole milliseconds in a 32-bit integer. */
    private static final Duration MAX_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

    private static Duration checkTimeout(String property, Duration timeout) {
      if (timeout == null) {
        return null;
      }
      if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0
          || timeout.toNanosPart() % 1_000_000 != 0) {
        throw new MviewException(MviewException.Kind.INVALID_DECLARATION, property + " must be whole milliseconds"
            + " from 1 ms to " + Integer.MAX_VALUE + " ms (about 24 days, PostgreSQL's limit), was " + timeout
            + "; use null to keep the session's setting");
      }
      return timeout;
    }
  }
}
