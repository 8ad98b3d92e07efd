package dev.mview.plan;

import dev.mview.MviewException;
import dev.mview.internal.Unit;
import dev.mview.sql.Literals;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An ordered list of {@link Step}s: printable as a script, invertible, and executable on a JDBC
 * connection as one unit — all steps apply or none.
 */
public final class Plan {
  private static final Plan EMPTY = new Plan(List.of());

  private final List<Step> steps;

  private Plan(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  /** A plan of {@code steps}, in order (steps come from mview's planners). */
  public static Plan of(List<Step> steps) {
    return steps.isEmpty() ? EMPTY : new Plan(steps);
  }

  /** The plan that does nothing. */
  public static Plan empty() {
    return EMPTY;
  }

  /** The steps, in the order they run. */
  public List<Step> steps() {
    return steps;
  }

  /** Whether there is nothing to do: the database already matches. */
  public boolean isEmpty() {
    return steps.isEmpty();
  }

  /** Every statement of every step, in order. */
  public List<String> statements() {
    List<String> all = new ArrayList<>();
    steps.forEach(step -> all.addAll(step.statements()));
    return all;
  }

  /**
   * The plan that undoes this one: the steps reversed, each inverted. Refreshes, which change data
   * and not definitions, are left out.
   *
   * @throws MviewException of kind {@link MviewException.Kind#IRREVERSIBLE} when a step was
   *     planned without knowing what it replaced, naming it
   */
  public Plan inverse() {
    List<Step> inverted = new ArrayList<>();
    for (Step step : steps) {
      if (step.action() != Step.Action.REFRESH) {
        inverted.add(step.invert());
      }
    }
    Collections.reverse(inverted);
    return of(inverted);
  }

  /** Whether {@link #inverse()} can undo every step. */
  public boolean reversible() {
    return steps.stream().allMatch(Step::reversible);
  }

  /** What a script says before the first step that makes readers wait. */
  public static final String READERS_WAIT = "mview: readers of the views below wait from here until the transaction"
      + " commits (each step from here on holds its locks to the end)";

  /**
   * The plan as an SQL script: a comment per step saying why, then its statements; before the
   * first step that blocks readers, a comment saying readers wait from there to the commit.
   */
  public String toScript() {
    if (steps.isEmpty()) {
      return Literals.lineComment("mview: nothing to do") + "\n";
    }
    StringBuilder script = new StringBuilder();
    boolean waiting = false;
    for (Step step : steps) {
      if (step.blocksReaders() && !waiting) {
        script.append(Literals.lineComment(READERS_WAIT)).append('\n');
        waiting = true;
      }
      script.append(Literals.lineComment(step.heading())).append('\n');
      for (String sql : step.statements()) {
        script.append(sql).append(";\n");
      }
      script.append('\n');
    }
    return script.toString();
  }

  /**
   * Runs every statement on {@code connection} as one unit. With auto-commit on, the plan runs in
   * its own transaction and commits. Inside a caller's transaction (auto-commit off, as in a Flyway
   * migration) it runs under a savepoint and leaves the commit to the caller. Either way, if a
   * statement fails, everything the plan did is rolled back and the exception names the step's view
   * and the failing SQL.
   *
   * @throws MviewException of kind {@link MviewException.Kind#STATEMENT_FAILED} when a statement
   *     fails, {@link MviewException.Kind#DATABASE} when the connection does
   */
  public void execute(Connection connection) {
    if (steps.isEmpty()) {
      return;
    }
    try (Unit unit = Unit.begin(connection)) {
      runSteps(connection);
      unit.commit();
    } catch (SQLException e) {
      throw new MviewException(MviewException.Kind.DATABASE, "could not run the mview plan: " + e.getMessage(), e);
    }
  }

  private void runSteps(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (Step step : steps) {
        for (String sql : step.statements()) {
          try {
            statement.execute(sql);
          } catch (SQLException e) {
            throw new MviewException(MviewException.Kind.STATEMENT_FAILED, "could not " + step.heading() + "\n  "
                + e.getMessage() + "\n  while running: " + sql.replace("\n", "\n    ")
                + "\nThe whole plan was rolled back; nothing was changed. Fix the definition of "
                + step.view() + " and run again.", e);
          }
        }
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Plan other && steps.equals(other.steps);
  }

  @Override
  public int hashCode() {
    return steps.hashCode();
  }

  @Override
  public String toString() {
    return toScript();
  }
}
