package dev.mview.refresh;

/**
 * Hears a refresh as it goes: the plan once it is made, then each view as its refresh ends, for
 * progress lines and metrics. The parallel runner calls {@link #finished} from its threads, one
 * call at a time per view but several views at once. It should not throw: what it throws ends the
 * refresh run (views already refreshed stay refreshed).
 */
public interface RefreshListener {
  /** Called once, before the first view starts, with what will be refreshed. */
  default void planned(RefreshPlan plan) {}

  /**
   * Called when a view's refresh ended: refreshed, failed, or skipped because another session held
   * it. Views skipped because a view they read failed are not refreshed at all and are reported
   * only in the {@link RefreshReport}.
   */
  void finished(RefreshResult result);
}
