package dev.mview.refresh;

/** The refresh mode asked for; the planner decides per view what it can honour and says why. */
public enum RefreshMode {
  /**
   * Refresh without blocking readers where the view allows it ({@code CONCURRENTLY}, or a swap when
   * {@link RefreshOptions.Builder#swap(boolean)} is on), plain otherwise, saying why.
   */
  AUTO,
  /**
   * Never block readers: like {@link #AUTO}, but a view that can only be refreshed plain fails the
   * plan, which names every such view and why, before anything is refreshed.
   */
  CONCURRENTLY,
  /** Always a plain {@code REFRESH MATERIALIZED VIEW}: readers wait for the whole refresh. */
  PLAIN
}
