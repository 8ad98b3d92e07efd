package dev.mview.refresh;

/** The refresh mode asked for; the planner decides per view what it can honour and says why. */
public enum RefreshMode {
  /**
   * Refresh without blocking readers where the view allows it ({@code CONCURRENTLY}, or a swap when
   * {@link RefreshOptions.Builder#swap(boolean)} is on), plain otherwise.
   */
  AUTO,
  /** Like {@link #AUTO}, but meant as a requirement: with {@code strict}, a view that cannot fails the plan. */
  CONCURRENTLY,
  /** Always a plain {@code REFRESH MATERIALIZED VIEW}: readers wait for the whole refresh. */
  PLAIN
}
