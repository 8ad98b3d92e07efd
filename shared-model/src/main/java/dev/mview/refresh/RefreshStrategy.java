package dev.mview.refresh;

/** How one planned view is refreshed. */
public enum RefreshStrategy {
  /** {@code REFRESH MATERIALIZED VIEW CONCURRENTLY}: readers go on; needs a usable unique index. */
  CONCURRENTLY,
  /**
   * Built beside the view under a temporary name with its indexes, grants, comments, owner and
   * options, then swapped in by name in a short transaction: readers wait only for the swap. The
   * view gets a new OID, so it is only used for views that no view reads.
   */
  SWAP,
  /** {@code REFRESH MATERIALIZED VIEW}: readers wait until it commits. */
  PLAIN
}
