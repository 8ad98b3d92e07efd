package dev.mview.liquibase.internal;

import dev.mview.sql.Literals;
import java.util.ArrayList;
import java.util.List;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.ValidationErrors;
import liquibase.sql.Sql;
import liquibase.sql.UnparsedSql;
import liquibase.sqlgenerator.SqlGeneratorChain;
import liquibase.sqlgenerator.core.AbstractSqlGenerator;

/**
 * Turns a {@link PlanStatement} into Liquibase SQL: one entry per statement of the plan, the first
 * statement of each step preceded by a comment saying what the step does and why. Registered in
 * {@code META-INF/services/liquibase.sqlgenerator.SqlGenerator}; PostgreSQL only.
 */
public final class PlanSqlGenerator extends AbstractSqlGenerator<PlanStatement> {

  /** Used by Liquibase's service loader. */
  public PlanSqlGenerator() {
    // nothing to set up
  }

  @Override
  public boolean supports(PlanStatement statement, Database database) {
    return database instanceof PostgresDatabase;
  }

  @Override
  public ValidationErrors validate(PlanStatement statement, Database database,
      SqlGeneratorChain<PlanStatement> chain) {
    // The change validated its properties and the shared model built the plan: nothing left to check.
    return new ValidationErrors();
  }

  @Override
  public Sql[] generateSql(PlanStatement statement, Database database, SqlGeneratorChain<PlanStatement> chain) {
    List<Sql> sql = new ArrayList<>();
    String pending = statement.note() == null ? "" : Literals.lineComment(statement.note()) + "\n";
    for (PlanStatement.Section section : statement.sections()) {
      // Comments travel inside the statement text so that the printed script and the executed SQL agree.
      pending += Literals.lineComment(section.heading()) + "\n";
      for (String text : section.statements()) {
        sql.add(new UnparsedSql(pending + text));
        pending = "";
      }
    }
    if (sql.isEmpty() && statement.note() != null) {
      // Planned without a database and nothing to do: still say so in the printed script.
      sql.add(new UnparsedSql(pending.strip()));
    }
    return sql.toArray(new Sql[0]);
  }
}
