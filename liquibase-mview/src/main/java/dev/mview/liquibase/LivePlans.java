package dev.mview.liquibase;

import dev.mview.MviewException;
import dev.mview.catalog.Catalog;
import dev.mview.catalog.LiveIndex;
import dev.mview.catalog.LiveView;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewModel;
import dev.mview.plan.Plan;
import dev.mview.plan.Reconciler;
import dev.mview.plan.Step;
import dev.mview.sql.Ddl;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Plans made from the live catalog; every decision is the shared model's. */
final class LivePlans {
  private LivePlans() {}

  /**
   * The reconciler's plan for the model's view: create it when missing, replace it when its
   * definition changed (recreating what reads it, with everything kept), nothing when unchanged.
   */
  static Plan replace(Connection connection, ViewModel model) {
    return Reconciler.plan(connection, model);
  }

  /**
   * Fails, naming them, when views read {@code name}: dropping it would need {@code cascade}, which
   * drops them with their indexes, grants and comments.
   */
  static void requireNoDependents(Connection connection, QualifiedName name) {
    Set<QualifiedName> dependents = Catalog.read(connection).dependentsOf(name);
    if (!dependents.isEmpty()) {
      throw new MviewException("materialized view " + name + " cannot be dropped: "
          + dependents.stream().map(QualifiedName::toString).collect(Collectors.joining(", "))
          + (dependents.size() == 1 ? " reads" : " read") + " it. Drop "
          + (dependents.size() == 1 ? "that view" : "those views") + " first, or set cascade=\"true\" to drop"
          + " them too (losing their indexes, grants and comments)");
    }
  }

  /** The materialized views of {@code schema} in the live database. */
  static List<QualifiedName> materializedViews(Connection connection, String schema) {
    List<QualifiedName> names = new ArrayList<>();
    for (LiveView view : Catalog.read(connection).views()) {
      if (view.isMaterialized() && view.name().schema().equals(schema)) {
        names.add(view.name());
      }
    }
    return names;
  }

  /**
   * Refreshes {@code views} (and, when asked, what they read or what reads them) in dependency order.
   * {@code mode} is {@code auto}, {@code true} or {@code false}.
   */
  static Plan refresh(Connection connection, List<QualifiedName> views, String mode, boolean withData,
      boolean includeUpstream, boolean includeDownstream) {
    // Until the Refresher lands: the live order; auto goes concurrently where the catalog shows it can.
    Catalog catalog = Catalog.read(connection);
    for (QualifiedName name : views) {
      if (catalog.view(name).filter(LiveView::isMaterialized).isEmpty()) {
        throw new MviewException("materialized view " + name + " does not exist: check viewNames and schemaName");
      }
    }
    Set<QualifiedName> selected = new LinkedHashSet<>(views);
    if (includeUpstream) {
      selected.addAll(catalog.graph().upstreamClosure(views));
    }
    if (includeDownstream) {
      selected.addAll(catalog.dependentsOf(views));
    }
    List<Step> steps = new ArrayList<>();
    for (QualifiedName name : catalog.order(selected)) {
      Optional<LiveView> view = catalog.view(name).filter(LiveView::isMaterialized);
      if (view.isEmpty()) {
        continue; // a table or plain view met through includeUpstream/includeDownstream
      }
      boolean possible = view.get().populated()
          && view.get().indexes().stream().anyMatch(LiveIndex::allowsConcurrentRefresh);
      boolean concurrent = "true".equals(mode) || ("auto".equals(mode) && possible && withData);
      String reason = concurrent ? "concurrently" : "plain"
          + ("auto".equals(mode) && !possible ? ": not populated, or no unique index on plain columns without WHERE" : "");
      steps.add(new Step(Step.Action.REFRESH, name, reason,
          List.of(Ddl.refresh(name, concurrent, withData)), List.of()));
    }
    return Plan.of(steps);
  }
}
