package dev.mview.plan;

import dev.mview.MviewException;
import dev.mview.model.QualifiedName;
import java.util.List;
import java.util.Objects;

/**
 * One step of a {@link Plan}: what it does to which view, why, the SQL that does it and the SQL
 * that undoes it.
 *
 * @param action what the step does
 * @param view the view it acts on
 * @param reason why the step is there, for scripts and logs ("depends on analytics.daily, which
 *     changed")
 * @param statements the SQL, in order, without trailing semicolons; never empty
 * @param inverse the SQL that undoes {@code statements}; empty when nothing needs undoing (refresh)
 */
public record Step(Action action, QualifiedName view, String reason, List<String> statements, List<String> inverse) {
  public Step {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(view, "view");
    Objects.requireNonNull(reason, "reason");
    statements = List.copyOf(statements);
    inverse = List.copyOf(inverse);
    if (statements.isEmpty()) {
      throw new MviewException("step " + action.label() + " " + view + " has no SQL");
    }
  }

  /** The step that undoes this one. */
  public Step invert() {
    if (inverse.isEmpty()) {
      throw new MviewException("step " + action.label() + " " + view + " cannot be inverted");
    }
    return new Step(action.inverse(), view, "undo " + action.label() + ": " + reason, inverse, statements);
  }

  /** A one-line heading for scripts and logs: {@code create public.a: new materialized view}. */
  public String heading() {
    return action.label() + " " + view + ": " + reason;
  }

  /** What a step does. */
  public enum Action {
    CREATE("create"),
    /** Creates again a view that had to be dropped because something it reads was replaced. */
    RECREATE("recreate"),
    DROP("drop"),
    ALTER("alter"),
    REFRESH("refresh");

    private final String label;

    Action(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    /** The action that undoes this one: create and drop swap, the rest undo themselves. */
    public Action inverse() {
      return switch (this) {
        case CREATE, RECREATE -> DROP;
        case DROP -> CREATE;
        default -> this;
      };
    }
  }
}
