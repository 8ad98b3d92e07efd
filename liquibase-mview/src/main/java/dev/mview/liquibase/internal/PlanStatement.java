package dev.mview.liquibase.internal;

import dev.mview.plan.Plan;
import dev.mview.plan.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import liquibase.statement.AbstractSqlStatement;

/**
 * A Liquibase statement that carries SQL planned by the shared model: the steps of a plan, and
 * what goes with it (the journal of a drop's inverse). It holds no SQL of its own making:
 * {@link PlanSqlGenerator} prints the sections in order, so {@code update}, {@code update-sql} and
 * {@code rollback-sql} show the same text.
 */
public final class PlanStatement extends AbstractSqlStatement {
  private final String note;
  private final List<Section> sections;

  /**
   * One part of the SQL: a heading printed as an SQL comment before it, and its statements.
   *
   * @param heading what the statements do and why, on one line
   * @param statements the SQL, in order, without trailing semicolons
   */
  public record Section(String heading, List<String> statements) {
    /** A section; the statements are copied. */
    public Section {
      Objects.requireNonNull(heading, "heading");
      statements = List.copyOf(statements);
    }
  }

  private PlanStatement(String note, List<Section> sections) {
    this.note = note;
    this.sections = List.copyOf(sections);
  }

  /**
   * A statement for {@code plan}, one section per step, followed by {@code extra} sections.
   *
   * @param note a line printed as an SQL comment before everything (for example that it was
   *     planned without a database), or null for none
   */
  public static PlanStatement of(Plan plan, String note, List<Section> extra) {
    List<Section> sections = new ArrayList<>();
    boolean waiting = false;
    for (Step step : plan.steps()) {
      if (step.blocksReaders() && !waiting) {
        sections.add(new Section(Plan.READERS_WAIT, List.of())); // printed before the step's first statement
        waiting = true;
      }
      sections.add(new Section(step.heading(), step.statements()));
    }
    sections.addAll(extra);
    return new PlanStatement(note, sections);
  }

  /** A statement for {@code plan} alone. */
  public static PlanStatement of(Plan plan, String note) {
    return of(plan, note, List.of());
  }

  /** The comment printed before the SQL, or null. */
  public String note() {
    return note;
  }

  /** The SQL, in order. */
  public List<Section> sections() {
    return sections;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    sections.forEach(section -> text.append(section.heading()).append(": ").append(section.statements()).append('\n'));
    return text.toString();
  }
}
