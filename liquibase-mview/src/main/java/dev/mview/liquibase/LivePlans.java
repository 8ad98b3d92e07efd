package dev.mview.liquibase;

import dev.mview.MviewException;
import dev.mview.catalog.Catalog;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewModel;
import dev.mview.plan.Plan;
import dev.mview.plan.Reconciler;
import dev.mview.plan.Step;
import dev.mview.refresh.PlannedRefresh;
import dev.mview.refresh.RefreshMode;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.Refresher;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
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
   * Fails, naming them, when views other than {@code droppedBefore} read {@code name}: dropping it
   * would need {@code cascade}, which drops them with their indexes, grants and comments.
   */
  static void requireNoDependents(Connection connection, QualifiedName name, Set<QualifiedName> droppedBefore) {
    Set<QualifiedName> dependents = new TreeSet<>(Catalog.read(connection).dependentsOf(name));
    dependents.removeAll(droppedBefore);
    if (!dependents.isEmpty()) {
      throw new MviewException("materialized view " + name + " cannot be dropped: "
          + dependents.stream().map(QualifiedName::toString).collect(Collectors.joining(", "))
          + (dependents.size() == 1 ? " reads" : " read") + " it. Drop "
          + (dependents.size() == 1 ? "that view" : "those views") + " first, or set cascade=\"true\" to drop"
          + " them too (losing their indexes, grants and comments)");
    }
  }

  /**
   * The refresh engine's plan, as plan steps: which views (the named ones, or every materialized
   * view of {@code schema} when none are named, widened up- or downstream on request), in dependency
   * order, each concurrently where the catalog shows it can be, with the reason. {@code mode} is
   * {@code auto}, {@code true} (concurrently, or fail naming the views that cannot) or {@code false}.
   */
  static Plan refresh(Connection connection, String schema, List<QualifiedName> views, String mode,
      boolean withData, boolean includeUpstream, boolean includeDownstream) {
    RefreshOptions.Builder options = RefreshOptions.builder()
        .includeUpstream(includeUpstream)
        .includeDownstream(includeDownstream)
        .withData(withData);
    if (views.isEmpty()) {
      options.schemas(schema);
    } else {
      options.views(views.toArray(new QualifiedName[0]));
    }
    switch (mode) {
      case "true" -> options.mode(RefreshMode.CONCURRENTLY).strict(true);
      case "false" -> options.mode(RefreshMode.PLAIN);
      default -> options.mode(RefreshMode.AUTO);
    }
    List<Step> steps = new ArrayList<>();
    for (PlannedRefresh entry : Refresher.plan(connection, options.build()).entries()) {
      List<String> statements = new ArrayList<>();
      statements.add(Refresher.transactionLock(entry.view()));
      statements.addAll(entry.statements());
      steps.add(new Step(Step.Action.REFRESH, entry.view(), entry.strategy().name().toLowerCase(Locale.ROOT)
          + ": " + entry.reason(), statements, List.of()));
    }
    return Plan.of(steps);
  }
}
