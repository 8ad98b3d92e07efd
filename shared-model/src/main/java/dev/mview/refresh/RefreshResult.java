package dev.mview.refresh;

import dev.mview.model.QualifiedName;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What happened to one planned view.
 *
 * @param view the view
 * @param strategy how it was (or would have been) refreshed; a swap that had to fall back reports
 *     {@link RefreshStrategy#PLAIN}
 * @param reason why that strategy
 * @param outcome refreshed, failed or skipped
 * @param message the error for a failure, what was waited for or held for a skip; null when refreshed
 * @param started when the refresh began, after its lock was taken; null when not attempted
 * @param finished when its work was done (committed, unless inside a caller's transaction); null
 *     when not attempted
 * @param rows the rows it holds afterwards ({@code count(*)}); null when not refreshed with data
 */
public record RefreshResult(QualifiedName view, RefreshStrategy strategy, String reason, RefreshOutcome outcome,
    String message, Instant started, Instant finished, Long rows) {
  public RefreshResult {
    Objects.requireNonNull(view, "view");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** Time from start to finish; zero when it was not attempted. */
  public Duration duration() {
    return started == null || finished == null ? Duration.ZERO : Duration.between(started, finished);
  }

  /** The rows it holds afterwards; empty when not refreshed with data. */
  public OptionalLong rowCount() {
    return rows == null ? OptionalLong.empty() : OptionalLong.of(rows);
  }

  /** The error or skip reason; empty when refreshed. */
  public Optional<String> messageText() {
    return Optional.ofNullable(message);
  }

  /** Whether views that read this one may go ahead: it was refreshed, or another session had it. */
  boolean letsDependentsRun() {
    return outcome == RefreshOutcome.REFRESHED || outcome == RefreshOutcome.SKIPPED_BUSY;
  }
}
