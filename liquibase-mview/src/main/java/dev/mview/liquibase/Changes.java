package dev.mview.liquibase;

import dev.mview.MviewException;
import dev.mview.model.QualifiedName;
import java.util.List;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.UnexpectedLiquibaseException;
import liquibase.exception.ValidationErrors;

/** What the three change types share: naming, the PostgreSQL check, error translation. */
final class Changes {
  private Changes() {}

  /** {@code changeset path::id::author}, or {@code a changeset} when the change stands alone. */
  static String describe(ChangeSet changeSet) {
    return changeSet == null ? "a changeset" : "changeset " + changeSet.toString(false);
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

  /**
   * Translates a shared-model error at the Liquibase boundary: names the changeset, adds what to
   * change in the changelog where the engine's words are its API's, keeps the cause.
   */
  static UnexpectedLiquibaseException failure(ChangeSet changeSet, MviewException e) {
    return failure(changeSet, e, hint(e.kind()));
  }

  /** {@link #failure(ChangeSet, MviewException)} with {@code hint} in place of the usual one. */
  static UnexpectedLiquibaseException failure(ChangeSet changeSet, MviewException e, String hint) {
    if (e.kind() == MviewException.Kind.QUERY_DOES_NOT_RUN && createsAroundOtherChanges(changeSet)) {
      hint = "The createMaterializedView changes of a changeset are planned together and run where the first of"
          + " them stands: move the changes they need before it, or into an earlier changeset";
    }
    String message = e.getMessage();
    if (!hint.isEmpty()) {
      message = (message.endsWith(".") ? message.substring(0, message.length() - 1) : message) + ". " + hint;
    }
    return new UnexpectedLiquibaseException(describe(changeSet) + ": " + message, e);
  }

  private static String hint(MviewException.Kind kind) {
    return switch (kind) {
      case CANNOT_REFRESH_WITHOUT_BLOCKING -> "With concurrently=\"true\" the refresh must not block readers;"
          + " concurrently=\"auto\" falls back to a plain refresh instead";
      case HAS_DEPENDENTS -> "In a changelog: drop those views first, or set cascade=\"true\" to drop them too,"
          + " each by name (rollback recreates them with their indexes, comments and grants)";
      case ALREADY_EXISTS -> "In a changelog: set replaceIfExists=\"true\" to replace it";
      case NO_SUCH_SCHEMA -> "In a changelog: create the schema in an earlier changeset, or with an sql change"
          + " before the first mview change of this changeset";
      default -> "";
    };
  }

  /** Whether another change stands between the first and the last createMaterializedView of {@code changeSet}. */
  private static boolean createsAroundOtherChanges(ChangeSet changeSet) {
    if (changeSet == null) {
      return false;
    }
    List<Change> changes = changeSet.getChanges();
    int first = -1;
    int last = -1;
    for (int i = 0; i < changes.size(); i++) {
      if (changes.get(i) instanceof CreateMaterializedViewChange) {
        first = first < 0 ? i : first;
        last = i;
      }
    }
    return first >= 0 && changes.subList(first, last).stream().anyMatch(change -> !(change instanceof CreateMaterializedViewChange));
  }

  /** Reads an optional Boolean property. */
  static boolean flag(Boolean value, boolean defaultValue) {
    return value == null ? defaultValue : value;
  }
}
