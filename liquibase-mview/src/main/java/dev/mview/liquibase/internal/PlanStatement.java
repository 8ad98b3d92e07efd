package dev.mview.liquibase.internal;

import dev.mview.plan.Plan;
import java.util.Objects;
import liquibase.statement.AbstractSqlStatement;

/**
 * A Liquibase statement that carries a plan made by the shared model. It holds no SQL of its own:
 * {@link PlanSqlGenerator} prints the plan's statements, so {@code update}, {@code update-sql} and
 * {@code rollback-sql} show the same text.
 */
public final class PlanStatement extends AbstractSqlStatement {
  private final Plan plan;
  private final String note;

  /**
   * A statement for {@code plan}.
   *
   * @param plan what to run, in order
   * @param note a line printed as an SQL comment before the plan (for example that it was planned
   *     without a database), or null for none
   */
  public PlanStatement(Plan plan, String note) {
    this.plan = Objects.requireNonNull(plan, "plan");
    this.note = note;
  }

  /** The plan to run. */
  public Plan plan() {
    return plan;
  }

  /** The comment printed before the plan, or null. */
  public String note() {
    return note;
  }

  @Override
  public String toString() {
    return plan.toScript();
  }
}
