package dev.mview.refresh;

import dev.mview.model.QualifiedName;
import dev.mview.sql.Literals;
import java.util.List;
import java.util.Optional;

/**
 * The views a refresh will touch, each once, every one after the materialized views it reads, with
 * how and why. Made by {@link Refresher#plan}; changes nothing until run.
 */
public final class RefreshPlan {
  private final List<PlannedRefresh> entries;

  RefreshPlan(List<PlannedRefresh> entries) {
    this.entries = List.copyOf(entries);
  }

  /** The planned views in a valid sequential order (upstream first, ties by name). */
  public List<PlannedRefresh> entries() {
    return entries;
  }

  /** The planned view names, in order. */
  public List<QualifiedName> views() {
    return entries.stream().map(PlannedRefresh::view).toList();
  }

  /** {@code view}'s entry, if the plan refreshes it. */
  public Optional<PlannedRefresh> entry(QualifiedName view) {
    return entries.stream().filter(entry -> entry.view().equals(view)).findFirst();
  }

  /** Whether there is nothing to refresh. */
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** How many views the plan refreshes. */
  public int size() {
    return entries.size();
  }

  /**
   * The plan as an SQL script a person could run by hand: per view a comment with the strategy and
   * reason, one with its {@linkplain PlannedRefresh#estimate() estimate}, then its statements (a
   * swap's final statements inside {@code BEGIN}/{@code COMMIT}). The runner's advisory locks and
   * timeouts are not part of it.
   */
  public String toScript() {
    if (entries.isEmpty()) {
      return Literals.lineComment("mview: nothing to refresh") + "\n";
    }
    StringBuilder script = new StringBuilder();
    for (PlannedRefresh entry : entries) {
      script.append(Literals.lineComment("refresh " + entry.view() + " " + entry.strategy() + ": " + entry.reason()))
          .append('\n').append(Literals.lineComment("estimate: " + entry.estimate())).append('\n');
      if (entry.swap() == null) {
        entry.statements().forEach(sql -> script.append(sql).append(";\n"));
      } else {
        entry.cleanupStatements().forEach(sql -> script.append(sql).append(";\n"));
        entry.swap().build().forEach(sql -> script.append(sql).append(";\n"));
        script.append("BEGIN;\n");
        entry.swap().install().forEach(sql -> script.append(sql).append(";\n"));
        script.append("COMMIT;\n");
      }
      script.append('\n');
    }
    return script.toString();
  }

  @Override
  public String toString() {
    return entries.toString();
  }
}
