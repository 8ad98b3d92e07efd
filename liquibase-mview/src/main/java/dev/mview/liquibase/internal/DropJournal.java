package dev.mview.liquibase.internal;

import dev.mview.MviewException;
import dev.mview.model.QualifiedName;
import dev.mview.plan.Plan;
import dev.mview.sql.Identifiers;
import dev.mview.sql.Literals;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.structure.core.Table;

/**
 * The table beside Liquibase's {@code databasechangelog} that keeps, for each
 * {@code dropMaterializedView} that ran, the SQL that undoes it as captured then: the view and the
 * readers a cascade dropped, each with its indexes, comments, owner and grants. Rollback takes the
 * drop back from it; without a row (the drop ran offline, or before mview kept a journal) rollback
 * recreates the view from the changelog's own definition. The rows are written by statements of the
 * drop's own changeset, so they commit with it and appear in {@code update-sql}.
 */
public final class DropJournal {
  private final QualifiedName table;

  private DropJournal(QualifiedName table) {
    this.table = table;
  }

  /** The journal of {@code database}: {@code databasechangelog_mview} in Liquibase's schema. */
  public static DropJournal of(Database database) {
    String schema = database.getLiquibaseSchemaName() != null ? database.getLiquibaseSchemaName()
        : database.getDefaultSchemaName();
    String history = database.correctObjectName(database.getDatabaseChangeLogTableName(), Table.class);
    return new DropJournal(QualifiedName.of(schema == null ? QualifiedName.DEFAULT_SCHEMA : schema,
        history + "_mview"));
  }

  /** The journal table. */
  public QualifiedName table() {
    return table;
  }

  /**
   * The statements that record {@code plan}'s inverse for the change at {@code index} of
   * {@code changeSet}, replacing what an earlier run of it recorded.
   */
  public List<PlanStatement.Section> record(ChangeSet changeSet, int index, Plan plan) {
    String quoted = Identifiers.quote(table);
    return List.of(new PlanStatement.Section("mview: journal what undoes this drop, for rollback", List.of(
        "CREATE TABLE IF NOT EXISTS " + quoted + " (filename text NOT NULL, id text NOT NULL, author text NOT NULL,"
            + " change_index integer NOT NULL, inverse text[] NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(),"
            + " PRIMARY KEY (filename, id, author, change_index))",
        "DELETE FROM " + quoted + where(changeSet, index),
        "INSERT INTO " + quoted + " (filename, id, author, change_index, inverse) VALUES ("
            + Literals.string(changeSet.getFilePath()) + ", " + Literals.string(changeSet.getId()) + ", "
            + Literals.string(changeSet.getAuthor()) + ", " + index + ", "
            + Literals.textArray(plan.inverse().statements()) + ")")));
  }

  /** The recorded inverse of the change at {@code index} of {@code changeSet}, if there is one. */
  public Optional<List<String>> inverse(Connection connection, ChangeSet changeSet, int index) {
    try {
      try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
        exists.setString(1, Identifiers.quote(table));
        try (ResultSet rs = exists.executeQuery()) {
          rs.next();
          if (!rs.getBoolean(1)) {
            return Optional.empty();
          }
        }
      }
      try (PreparedStatement query = connection.prepareStatement("SELECT inverse FROM " + Identifiers.quote(table)
          + " WHERE filename = ? AND id = ? AND author = ? AND change_index = ?")) {
        query.setString(1, changeSet.getFilePath());
        query.setString(2, changeSet.getId());
        query.setString(3, changeSet.getAuthor());
        query.setInt(4, index);
        try (ResultSet rs = query.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          Array inverse = rs.getArray(1);
          return Optional.of(Arrays.asList((String[]) inverse.getArray()));
        }
      }
    } catch (SQLException e) {
      throw new MviewException(MviewException.Kind.DATABASE, "could not read the mview journal " + table + ": "
          + e.getMessage(), e);
    }
  }

  /** The statement that removes the row of the change at {@code index} of {@code changeSet}. */
  public PlanStatement.Section forget(ChangeSet changeSet, int index) {
    return new PlanStatement.Section("mview: the drop is undone; remove its journal row",
        List.of("DELETE FROM " + Identifiers.quote(table) + where(changeSet, index)));
  }

  private static String where(ChangeSet changeSet, int index) {
    return " WHERE filename = " + Literals.string(changeSet.getFilePath()) + " AND id = "
        + Literals.string(changeSet.getId()) + " AND author = " + Literals.string(changeSet.getAuthor())
        + " AND change_index = " + index;
  }
}
