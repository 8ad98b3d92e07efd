package dev.mview.plan;

import dev.mview.MviewException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
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

  public static Plan of(List<Step> steps) {
    return steps.isEmpty() ? EMPTY : new Plan(steps);
  }

  public static Plan empty() {
    return EMPTY;
  }

  public List<Step> steps() {
    return steps;
  }

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
   * The plan that undoes this one: the steps reversed, each inverted. Steps with nothing to undo
   * (refreshes) are left out.
   */
  public Plan inverse() {
    List<Step> inverted = new ArrayList<>();
    for (Step step : steps) {
      if (!step.inverse().isEmpty()) {
        inverted.add(step.invert());
      }
    }
    Collections.reverse(inverted);
    return of(inverted);
  }

  /** This plan followed by {@code next}. */
  public Plan then(Plan next) {
    List<Step> joined = new ArrayList<>(steps);
    joined.addAll(next.steps);
    return of(joined);
  }

  /** The plan as an SQL script: a comment per step saying why, then its statements. */
  public String toScript() {
    if (steps.isEmpty()) {
      return "-- mview: nothing to do\n";
    }
    StringBuilder script = new StringBuilder();
    for (Step step : steps) {
      script.append("-- ").append(step.heading().replace("\n", " ")).append('\n');
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
   */
  public void execute(Connection connection) {
    if (steps.isEmpty()) {
      return;
    }
    try {
      boolean ownTransaction = connection.getAutoCommit();
      if (ownTransaction) {
        connection.setAutoCommit(false);
      }
      Savepoint savepoint = ownTransaction ? null : connection.setSavepoint();
      try {
        runSteps(connection);
        if (ownTransaction) {
          connection.commit();
        } else {
          connection.releaseSavepoint(savepoint);
        }
      } catch (RuntimeException | SQLException e) {
        rollBack(connection, savepoint, e);
        throw e;
      } finally {
        if (ownTransaction) {
          connection.setAutoCommit(true);
        }
      }
    } catch (SQLException e) {
      throw new MviewException("could not run the mview plan: " + e.getMessage(), e);
    }
  }

  private void runSteps(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (Step step : steps) {
        for (String sql : step.statements()) {
          try {
            statement.execute(sql);
          } catch (SQLException e) {
            throw new MviewException("could not " + step.heading() + "\n  " + e.getMessage()
                + "\n  while running: " + sql.replace("\n", "\n    ")
                + "\nThe whole plan was rolled back; nothing was changed. Fix the definition of "
                + step.view() + " and run again.", e);
          }
        }
      }
    }
  }

  private static void rollBack(Connection connection, Savepoint savepoint, Exception cause) {
    try {
      if (savepoint == null) {
        connection.rollback();
      } else {
        connection.rollback(savepoint);
      }
    } catch (SQLException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
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
