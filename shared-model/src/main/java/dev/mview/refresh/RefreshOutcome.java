package dev.mview.refresh;

/** What happened to one planned view. */
public enum RefreshOutcome {
  /** Refreshed and committed (or, inside a caller's transaction, done and awaiting its commit). */
  REFRESHED,
  /** The refresh failed and was rolled back; the message says why. */
  FAILED,
  /** Not attempted: a view it reads failed (or was itself skipped for that reason). */
  SKIPPED_UPSTREAM_FAILED,
  /**
   * Not attempted: another session was refreshing it and {@link OnBusy#SKIP} was asked for. Views
   * that read it still run, against its last committed contents, as any reader would.
   */
  SKIPPED_BUSY
}
