package dev.mview.refresh;

import dev.mview.MviewException;
import dev.mview.model.QualifiedName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/** What a refresh did, per view in plan order, and how it ran. */
public final class RefreshReport {
  private final List<RefreshResult> results;
  private final Duration wallTime;
  private final int connections;
  private final Integer workersPerGather;

  RefreshReport(List<RefreshResult> results, Duration wallTime, int connections, Integer workersPerGather) {
    this.results = List.copyOf(results);
    this.wallTime = wallTime;
    this.connections = connections;
    this.workersPerGather = workersPerGather;
  }

  /** One result per planned view, each followed by those of the views its swap rebuilt with it, in plan order. */
  public List<RefreshResult> results() {
    return results;
  }

  /** {@code view}'s result, if it was planned. */
  public Optional<RefreshResult> result(QualifiedName view) {
    return results.stream().filter(result -> result.view().equals(view)).findFirst();
  }

  /** From the first view's start to the last one's end, planning excluded. */
  public Duration wallTime() {
    return wallTime;
  }

  /** How many connections refreshed views at once (1 for the sequential runner). */
  public int connections() {
    return connections;
  }

  /**
   * The cap put on {@code max_parallel_workers_per_gather} in a refresh transaction while every
   * connection is busy ({@code max(0, serverCores / connections - 1)}), so that connections times
   * processes per query stays near the server's cores; a view that starts while fewer run gets
   * {@code serverCores / running - 1}. Empty when the sessions' setting was left alone (one
   * connection).
   */
  public OptionalInt workersPerGather() {
    return workersPerGather == null ? OptionalInt.empty() : OptionalInt.of(workersPerGather);
  }

  /** The results with {@code outcome}. */
  public List<RefreshResult> withOutcome(RefreshOutcome outcome) {
    return results.stream().filter(result -> result.outcome() == outcome).toList();
  }

  /** True when any view failed (and so its dependents were skipped). */
  public boolean failed() {
    return !withOutcome(RefreshOutcome.FAILED).isEmpty();
  }

  /**
   * One line per failed view with its error, and the views skipped because of it; empty when
   * nothing failed.
   */
  public String failureSummary() {
    return results.stream()
        .filter(result -> result.outcome() == RefreshOutcome.FAILED
            || result.outcome() == RefreshOutcome.SKIPPED_UPSTREAM_FAILED)
        .map(result -> result.view() + " " + result.outcome() + ": " + result.message())
        .collect(Collectors.joining("\n"));
  }

  /**
   * Returns this report, or throws an {@link MviewException} with the failure summary when a view
   * failed: for callers (migrations) where a failed refresh must fail the run.
   */
  public RefreshReport throwIfFailed() {
    if (failed()) {
      throw new MviewException(MviewException.Kind.REFRESH_FAILED, "refresh failed:\n" + failureSummary());
    }
    return this;
  }

  @Override
  public String toString() {
    return results.stream()
        .map(result -> result.view() + " " + result.outcome() + " " + result.strategy() + " "
            + result.duration().toMillis() + " ms")
        .collect(Collectors.joining("\n", "refresh on " + connections + " connection(s) in "
            + wallTime.toMillis() + " ms\n", ""));
  }
}
