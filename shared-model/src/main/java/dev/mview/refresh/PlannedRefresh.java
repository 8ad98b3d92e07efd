package dev.mview.refresh;

import dev.mview.model.QualifiedName;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One view of a {@link RefreshPlan}: how it will be refreshed, why, its SQL, and the planned views
 * it must wait for.
 */
public final class PlannedRefresh {
  private final QualifiedName view;
  private final RefreshStrategy strategy;
  private final String reason;
  private final Set<QualifiedName> after;
  private final String refresh;
  private final Swap swap;
  private final List<String> cleanup;
  private final RefreshEstimate estimate;

  /** An entry estimated at nothing: the catalog knows no size for it until the planner says so. */
  PlannedRefresh(QualifiedName view, RefreshStrategy strategy, String reason, Set<QualifiedName> after,
      String refresh, Swap swap) {
    this(view, strategy, reason, after, refresh, swap, List.of(),
        RefreshEstimate.fromCatalog(0, RefreshEstimate.DEFAULT_PER_PAGE));
  }

  private PlannedRefresh(QualifiedName view, RefreshStrategy strategy, String reason, Set<QualifiedName> after,
      String refresh, Swap swap, List<String> cleanup, RefreshEstimate estimate) {
    this.view = Objects.requireNonNull(view, "view");
    this.strategy = Objects.requireNonNull(strategy, "strategy");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.after = Collections.unmodifiableSet(new TreeSet<>(after));
    this.refresh = refresh;
    this.swap = swap;
    this.cleanup = List.copyOf(cleanup);
    this.estimate = Objects.requireNonNull(estimate, "estimate");
  }

  /**
   * This refresh, first removing what an interrupted swap left behind: {@code drop} drops it,
   * {@code note} is added to the reason so the report says it was removed.
   */
  PlannedRefresh removingLeftover(String drop, String note) {
    List<String> all = new java.util.ArrayList<>(cleanup);
    all.add(drop);
    return new PlannedRefresh(view, strategy, reason + "; " + note, after, refresh, swap, all, estimate);
  }

  /** This refresh with {@code estimate}. */
  PlannedRefresh estimated(RefreshEstimate estimate) {
    return new PlannedRefresh(view, strategy, reason, after, refresh, swap, cleanup, estimate);
  }

  /** The view to refresh. */
  public QualifiedName view() {
    return view;
  }

  /** How it will be refreshed. */
  public RefreshStrategy strategy() {
    return strategy;
  }

  /** True for {@link RefreshStrategy#CONCURRENTLY}. */
  public boolean concurrently() {
    return strategy == RefreshStrategy.CONCURRENTLY;
  }

  /**
   * Why this strategy: {@code unique index s_id on (id)}, {@code not populated: CONCURRENTLY needs
   * a populated view}, {@code no usable unique index: s_part is partial}, ...
   */
  public String reason() {
    return reason;
  }

  /**
   * How long it is expected to take and what that rests on: a given duration or the catalog's
   * size of the view and what it reads. The parallel runner starts the longest path first.
   */
  public RefreshEstimate estimate() {
    return estimate;
  }

  /**
   * The planned views this one waits for: the nearest planned materialized views it reads,
   * directly or through views that are not refreshed.
   */
  public Set<QualifiedName> after() {
    return after;
  }

  /**
   * The SQL, in order, without trailing semicolons. For a swap: the build statements, then those of
   * the short transaction that drops the view and renames the copy into place.
   */
  public List<String> statements() {
    List<String> all = new java.util.ArrayList<>(cleanup);
    if (swap == null) {
      all.add(refresh);
      return List.copyOf(all);
    }
    all.addAll(swap.build());
    all.addAll(swap.install());
    return List.copyOf(all);
  }

  String refreshStatement() {
    return refresh;
  }

  /** The statements that first remove what an interrupted swap left behind; usually none. */
  List<String> cleanupStatements() {
    return cleanup;
  }

  Swap swap() {
    return swap;
  }

  @Override
  public String toString() {
    return view + " " + strategy + ": " + reason;
  }

  /**
   * The materialized views this entry's swap rebuilds with it because they read it: they have no
   * entry of their own, and the report gives them this entry's outcome. Empty for other entries.
   */
  public List<QualifiedName> members() {
    return swap == null ? List.of() : swap.members();
  }

  /**
   * The two halves of a swap refresh.
   *
   * @param view the view swapped
   * @param relations every relation the swap replaces, the view first, then what reads it
   * @param oids their OIDs at planning time: the swap refuses to drop anything else
   * @param members the materialized views rebuilt with it (they read it)
   * @param build creates and fills the copies with their indexes, comments, statistics
   * @param install drops the live relations and puts the copies in their place, with owners and grants
   * @param viewDrop where in {@code install} the view itself is dropped (its readers go first)
   * @param discard what removes the copies when the swap cannot be installed
   */
  record Swap(QualifiedName view, List<QualifiedName> relations, List<Long> oids, List<QualifiedName> members,
      List<String> build, List<String> install, int viewDrop, List<String> discard) {
    Swap {
      relations = List.copyOf(relations);
      oids = List.copyOf(oids);
      members = List.copyOf(members);
      build = List.copyOf(build);
      install = List.copyOf(install);
      discard = List.copyOf(discard);
    }

    /** The view's OID at planning time. */
    long oid() {
      return oids.get(0);
    }
  }
}
