package dev.mview.liquibase;

import dev.mview.MviewException;
import dev.mview.model.QualifiedName;
import java.sql.Connection;
import java.util.Optional;
import liquibase.Scope;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.DatabaseConnection;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.UnexpectedLiquibaseException;
import liquibase.exception.ValidationErrors;
import liquibase.executor.ExecutorService;
import liquibase.executor.LoggingExecutor;

/** What the three change types share: naming, the live-or-offline decision, error translation. */
final class Changes {
  private Changes() {}

  /** {@code changeset path::id::author}, or {@code a changeset} when the change stands alone. */
  static String describe(ChangeSet changeSet) {
    return changeSet == null ? "a changeset" : "changeset " + changeSet.toString(false);
  }

  /**
   * The connection to plan against, or empty when there is no database to read: an {@code offline:}
   * URL, or {@code update-sql}/{@code rollback-sql}, where earlier changesets of the same run are
   * printed but not applied, so the catalog would mislead the plan.
   */
  static Optional<Connection> liveConnection(Database database) {
    DatabaseConnection connection = database.getConnection();
    if (!(connection instanceof JdbcConnection)) {
      return Optional.empty();
    }
    ExecutorService executors = Scope.getCurrentScope().getSingleton(ExecutorService.class);
    if (executors.getExecutor("jdbc", database) instanceof LoggingExecutor) {
      return Optional.empty();
    }
    return Optional.of(((JdbcConnection) connection).getUnderlyingConnection());
  }

  /** The view named by {@code schemaName} and {@code viewName}, as PostgreSQL stores them. */
  static QualifiedName name(Database database, String schemaName, String viewName) {
    String schema = schemaName;
    if (schema == null || schema.isBlank()) {
      schema = database == null ? null : database.getDefaultSchemaName();
    }
    return QualifiedName.of(schema == null || schema.isBlank() ? QualifiedName.DEFAULT_SCHEMA : schema, viewName);
  }

  /** Adds the error every mview change gives on a database that is not PostgreSQL. */
  static void requirePostgres(ValidationErrors errors, Change change, Database database) {
    if (!(database instanceof PostgresDatabase)) {
      errors.addError(change.getSerializedObjectName() + " works on PostgreSQL only, not on "
          + database.getShortName() + ": run it against PostgreSQL or limit the changeset with dbms=\"postgresql\"");
    }
  }

  /** Translates a shared-model error at the Liquibase boundary, naming the changeset, keeping the cause. */
  static UnexpectedLiquibaseException failure(ChangeSet changeSet, MviewException e) {
    return new UnexpectedLiquibaseException(describe(changeSet) + ": " + e.getMessage(), e);
  }

  /** Reads an optional Boolean property. */
  static boolean flag(Boolean value, boolean defaultValue) {
    return value == null ? defaultValue : value;
  }
}
