package dev.mview.plan;

import dev.mview.MviewException;
import dev.mview.model.QualifiedName;
import java.util.List;
import java.util.Objects;

/**
 * One step of a {@link Plan}: what it does to which view, why, the SQL that does it and the SQL
 * that undoes it. Steps come only from mview's planners, so every step but a refresh carries its
 * inverse; the one exception is a drop planned without a database of a view whose definition was
 * not known, which {@link #reversible()} reports and {@link Plan#inverse()} refuses.
 */
public final class Step {
  private final Action action;
  private final QualifiedName view;
  private final String reason;
  private final List<String> statements;
  private final List<String> inverse;
  private final boolean blocksReaders;

  /**
   * A step and its inverse; it blocks readers when it drops, alters or renames (a refresh says so
   * itself).
   *
   * @param inverse the SQL that undoes {@code statements}: empty only for a refresh (nothing to
   *     undo) or for a step planned without knowing what it replaces
   */
  Step(Action action, QualifiedName view, String reason, List<String> statements, List<String> inverse) {
    this(action, view, reason, statements, inverse, action == Action.DROP || action == Action.ALTER
        || action == Action.RENAME || action == Action.CHANGE_TABLE);
  }

  /**
   * A step and its inverse, saying whether it blocks readers.
   *
   * @param blocksReaders whether it takes a lock that makes readers of a live view wait (an
   *     {@code ACCESS EXCLUSIVE} lock, held until the transaction ends)
   */
  Step(Action action, QualifiedName view, String reason, List<String> statements, List<String> inverse,
      boolean blocksReaders) {
    this.blocksReaders = blocksReaders;
    this.action = Objects.requireNonNull(action, "action");
    this.view = Objects.requireNonNull(view, "view");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.statements = List.copyOf(statements);
    this.inverse = action == Action.REFRESH ? List.of() : List.copyOf(inverse);
    if (this.statements.isEmpty()) {
      throw new MviewException(MviewException.Kind.INTERNAL, "step " + action.label() + " " + view + " has no SQL");
    }
  }

  /** What the step does. */
  public Action action() {
    return action;
  }

  /** The view it acts on (for a {@link Action#CHANGE_TABLE}, the first table changed). */
  public QualifiedName view() {
    return view;
  }

  /** Why the step is there, for scripts and logs ({@code depends on analytics.daily, which changed}). */
  public String reason() {
    return reason;
  }

  /** The SQL, in order, without trailing semicolons; never empty. */
  public List<String> statements() {
    return statements;
  }

  /** The SQL that undoes {@link #statements()}; empty for a refresh and for an irreversible step. */
  public List<String> inverse() {
    return inverse;
  }

  /**
   * Whether the step makes readers of a live view wait: it takes an {@code ACCESS EXCLUSIVE} lock,
   * which is held until the transaction ends, so readers wait from this step to the commit.
   */
  public boolean blocksReaders() {
    return blocksReaders;
  }

  /** Whether the step can be undone: a refresh needs no undoing; any other step needs its inverse. */
  public boolean reversible() {
    return action == Action.REFRESH || !inverse.isEmpty();
  }

  /**
   * The step that undoes this one.
   *
   * @throws MviewException of kind {@link MviewException.Kind#IRREVERSIBLE} for a refresh or a
   *     step whose inverse is not known
   */
  public Step invert() {
    if (inverse.isEmpty()) {
      throw new MviewException(MviewException.Kind.IRREVERSIBLE, "step " + heading() + " cannot be undone: "
          + (action == Action.REFRESH ? "a refresh changes data, not definitions"
              : action == Action.CHANGE_TABLE ? "no reverse statements were given for the table change; give the DDL"
                  + " that undoes it"
              : "it was planned without knowing what " + view + " was; plan it against the database instead"));
    }
    return new Step(action.inverse(), view, "undo " + action.label() + ": " + reason, inverse, statements,
        action.inverse() != Action.CREATE && action.inverse() != Action.RECREATE);
  }

  /** A one-line heading for scripts and logs: {@code create public.a: new materialized view}. */
  public String heading() {
    return action.label() + " " + view + ": " + reason;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Step other && action == other.action && view.equals(other.view) && reason.equals(other.reason)
        && statements.equals(other.statements) && inverse.equals(other.inverse) && blocksReaders == other.blocksReaders;
  }

  @Override
  public int hashCode() {
    return Objects.hash(action, view, reason, statements, inverse, blocksReaders);
  }

  /** The heading. */
  @Override
  public String toString() {
    return heading();
  }

  /** What a step does. */
  public enum Action {
    /** Creates a view that did not exist, or replaces one whose definition changed. */
    CREATE("create"),
    /** Creates again a view that had to be dropped because something it reads was replaced. */
    RECREATE("recreate"),
    /** Drops a view. */
    DROP("drop"),
    /** Changes a view's comment, options, tablespace or indexes in place. */
    ALTER("alter"),
    /** Puts a view built beside the live one in its place: renames, then its grants. */
    RENAME("rename"),
    /** Refreshes a materialized view's data. */
    REFRESH("refresh"),
    /**
     * Runs DDL that changes tables ({@link TableChange}); its {@link Step#view()} is the first
     * relation changed. Views in the way are dropped before it and built again after.
     */
    CHANGE_TABLE("change table");

    private final String label;

    Action(String label) {
      this.label = label;
    }

    /** The lower-case word for scripts: {@code create}, {@code drop}, ... */
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
