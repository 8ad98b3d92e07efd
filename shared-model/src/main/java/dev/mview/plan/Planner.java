package dev.mview.plan;

import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import dev.mview.sql.Ddl;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Turns a model into plans. */
public final class Planner {
  private Planner() {}

  /** Creates every view of {@code model}, each after the views it reads. */
  public static Plan create(ViewModel model) {
    List<Step> steps = new ArrayList<>();
    for (ViewDefinition view : model.createOrder()) {
      steps.add(createStep(view, "new " + view.kind().label() + readsClause(model.dependenciesOf(view.name()))));
    }
    return Plan.of(steps);
  }

  /** Drops every view of {@code model}, each before the views it reads. */
  public static Plan drop(ViewModel model) {
    return create(model).inverse();
  }

  /** The step that creates {@code view} with its indexes and comment; its inverse drops it. */
  public static Step createStep(ViewDefinition view, String reason) {
    return new Step(Step.Action.CREATE, view.name(), reason, Ddl.create(view),
        List.of(Ddl.drop(view.name(), view.kind(), false, false)));
  }

  private static String readsClause(Set<QualifiedName> dependencies) {
    return dependencies.isEmpty() ? ""
        : ", reads " + dependencies.stream().map(QualifiedName::toString).collect(Collectors.joining(", "));
  }
}
