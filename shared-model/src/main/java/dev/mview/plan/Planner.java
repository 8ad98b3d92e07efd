package dev.mview.plan;

import dev.mview.MviewException;
import dev.mview.internal.sql.Ddl;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import dev.mview.refresh.PlannedRefresh;
import dev.mview.refresh.RefreshHistory;
import dev.mview.refresh.RefreshPlan;
import dev.mview.refresh.RefreshStrategy;
import dev.mview.refresh.Refresher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Turns a model into plans that need nothing read from a database. */
public final class Planner {
  private Planner() {}

  /** Creates every view of {@code model}, each after the views it reads; the inverse drops them. */
  public static Plan create(ViewModel model) {
    List<Step> steps = new ArrayList<>();
    for (ViewDefinition view : model.createOrder()) {
      steps.add(createStep(view, "new " + view.kind().label() + readsClause(model.dependenciesOf(view.name()))));
    }
    return Plan.of(steps);
  }

  /** Drops every view of {@code model}, each before the views it reads; the inverse creates them. */
  public static Plan drop(ViewModel model) {
    return create(model).inverse();
  }

  /**
   * {@code refresh} as plan steps for a host tool's transaction (a Liquibase changeset): each view,
   * in order, takes its refresh advisory lock for the rest of the transaction
   * ({@link Refresher#transactionLock}) and is refreshed, and its row of the refresh history is
   * written after it (the first step creates the history table when it is missing), so it commits
   * with the changeset. Its reason says the strategy and why.
   *
   * @param history where to record, its schema chosen; {@link RefreshHistory#off()} for nowhere
   * @param withData the refresh's {@link dev.mview.refresh.RefreshOptions#withData()}
   * @throws MviewException of kind {@link MviewException.Kind#INTERNAL} when {@code refresh} holds
   *     a swap, which needs commits of its own (plan it on a connection inside a transaction)
   */
  public static Plan refresh(RefreshPlan refresh, RefreshHistory history, boolean withData) {
    List<Step> steps = new ArrayList<>();
    for (PlannedRefresh entry : refresh.entries()) {
      if (entry.strategy() == RefreshStrategy.SWAP) {
        throw new MviewException(MviewException.Kind.INTERNAL, "a swap refresh of " + entry.view()
            + " cannot run inside a transaction; plan the refresh on a connection inside the transaction");
      }
      List<String> statements = new ArrayList<>();
      if (history.enabled() && steps.isEmpty()) {
        statements.addAll(history.tableStatements());
      }
      statements.add(Refresher.transactionLock(entry.view()));
      RefreshHistory.Statements recorded = history.enabled() ? history.statements(entry, withData) : null;
      if (recorded != null) {
        statements.addAll(recorded.before());
      }
      statements.addAll(entry.statements());
      if (recorded != null) {
        statements.addAll(recorded.after());
      }
      steps.add(new Step(Step.Action.REFRESH, entry.view(), entry.strategy().name().toLowerCase(Locale.ROOT)
          + ": " + entry.reason(), statements, List.of(), entry.strategy() == RefreshStrategy.PLAIN));
    }
    return Plan.of(steps);
  }

  /** The step that creates {@code view} with its indexes and comment; its inverse drops it. */
  static Step createStep(ViewDefinition view, String reason) {
    return new Step(Step.Action.CREATE, view.name(), reason, Ddl.create(view),
        List.of(Ddl.drop(view.name(), view.kind(), false, false)));
  }

  private static String readsClause(Set<QualifiedName> dependencies) {
    return dependencies.isEmpty() ? ""
        : ", reads " + dependencies.stream().map(QualifiedName::toString).collect(Collectors.joining(", "));
  }
}
