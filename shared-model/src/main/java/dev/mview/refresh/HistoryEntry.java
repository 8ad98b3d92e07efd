package dev.mview.refresh;

import dev.mview.model.QualifiedName;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of the refresh history ({@link RefreshHistory}).
 *
 * @param view the view
 * @param started when its refresh began, after its lock was taken
 * @param finished when the refresh's work was done
 * @param strategy how it was refreshed
 * @param reason why that strategy
 * @param outcome {@link RefreshOutcome#REFRESHED} or {@link RefreshOutcome#FAILED}
 * @param rows the rows it held afterwards; null when refreshed without data, or failed
 * @param message the error of a failure; null otherwise
 * @param ranBy what ran it ({@code java}, {@code flyway callback}, {@code liquibase}, {@code cli}, ...)
 * @param host the host name of the machine that ran it
 * @param user the database role that ran it
 */
public record HistoryEntry(QualifiedName view, Instant started, Instant finished, RefreshStrategy strategy,
    String reason, RefreshOutcome outcome, Long rows, String message, String ranBy, String host, String user) {
  public HistoryEntry {
    Objects.requireNonNull(view, "view");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** Time from start to finish; zero when either is unknown. */
  public Duration duration() {
    return started == null || finished == null ? Duration.ZERO : Duration.between(started, finished);
  }
}
