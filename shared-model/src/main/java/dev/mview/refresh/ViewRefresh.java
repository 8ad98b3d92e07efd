package dev.mview.refresh;

/**
 * Refreshes one planned view: all the {@link Scheduler} knows of the database. {@link ViewRunner}
 * is the real one; tests give the scheduler their own.
 */
interface ViewRefresh {
  /**
   * Refreshes {@code entry} and says how it went; never throws for a failed view.
   *
   * @param workersPerGather the cap on parallel query workers for this refresh, or null to leave
   *     the session's setting
   */
  RefreshResult refresh(PlannedRefresh entry, Integer workersPerGather);
}
