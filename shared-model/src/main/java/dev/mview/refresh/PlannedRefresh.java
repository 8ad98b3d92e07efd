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
  private final String cleanup;

  PlannedRefresh(QualifiedName view, RefreshStrategy strategy, String reason, Set<QualifiedName> after,
      String refresh, Swap swap) {
    this(view, strategy, reason, after, refresh, swap, null);
  }

  private PlannedRefresh(QualifiedName view, RefreshStrategy strategy, String reason, Set<QualifiedName> after,
      String refresh, Swap swap, String cleanup) {
    this.view = Objects.requireNonNull(view, "view");
    this.strategy = Objects.requireNonNull(strategy, "strategy");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.after = Collections.unmodifiableSet(new TreeSet<>(after));
    this.refresh = refresh;
    this.swap = swap;
    this.cleanup = cleanup;
  }

  /**
   * This refresh, first removing a copy an interrupted swap left behind: {@code drop} drops it,
   * {@code note} is added to the reason so the report says it was removed. A swap's build drops
   * the copy itself.
   */
  PlannedRefresh removingLeftover(String drop, String note) {
    return new PlannedRefresh(view, strategy, reason + "; " + note, after, refresh, swap, swap == null ? drop : null);
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
    if (swap == null) {
      return cleanup == null ? List.of(refresh) : List.of(cleanup, refresh);
    }
    List<String> all = new java.util.ArrayList<>(swap.build());
    all.addAll(swap.install());
    return List.copyOf(all);
  }

  String refreshStatement() {
    return refresh;
  }

  /** The statement that removes a leftover swap copy first, or null. */
  String cleanupStatement() {
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
   * The two halves of a swap refresh.
   *
   * @param view the view swapped
   * @param oid the live view's OID at planning time: the swap refuses to drop anything else
   * @param temporary the name the new copy is built under
   * @param build creates and fills the copy with its indexes, grants, comments, statistics, owner
   * @param install drops the live view and renames the copy and its indexes into place
   */
  record Swap(QualifiedName view, long oid, QualifiedName temporary, List<String> build, List<String> install) {
    Swap {
      build = List.copyOf(build);
      install = List.copyOf(install);
    }
  }
}
