package dev.mview.refresh;

/** What to do when another session holds a view's refresh lock (see {@link Refresher#lockKey}). */
public enum OnBusy {
  /** Wait for the other refresh to finish (bounded by the lock timeout, when one is set), then refresh. */
  WAIT,
  /** Leave the view alone and report it {@link RefreshOutcome#SKIPPED_BUSY}. */
  SKIP
}
