package dev.mview.liquibase;

import dev.mview.catalog.Catalog;
import dev.mview.model.QualifiedName;
import java.sql.Connection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import liquibase.Scope;
import liquibase.change.Change;
import liquibase.database.Database;
import liquibase.database.DatabaseConnection;
import liquibase.database.jvm.JdbcConnection;
import liquibase.executor.ExecutorService;
import liquibase.executor.LoggingExecutor;

/**
 * Where a change's plan comes from: the live catalog, or, where there is none to trust, the
 * changelog's own definitions (offline). {@code update} and {@code rollback} always plan live.
 * {@code update-sql} and {@code rollback-sql} against a database plan live too — so the printed SQL
 * is what {@code update} then runs — unless a change printed before this one, and not applied,
 * touches what the plan reads; an {@code offline:} URL has no catalog at all.
 *
 * @param connection the connection to plan on, or null to plan offline
 * @param note why the plan was made offline (printed before it), or null when live
 */
record Planning(Connection connection, String note) {
  /** What a plan made from the changelog alone cannot know, said in the printed note. */
  private static final String UNKNOWN = "views made by hand or by other changes, and the grants, owners and indexes"
      + " other changes gave views, are not known";

  /** Whether the plan is read from the live catalog. */
  boolean live() {
    return connection != null;
  }

  /**
   * Decides for {@code change}. {@code affected} tells whether the plan, made from the live catalog
   * given, would read any of the relations that pending changes touch.
   */
  static Planning of(Change change, Database database, boolean rollingBack,
      BiPredicate<Catalog, Set<QualifiedName>> affected) {
    DatabaseConnection connection = database.getConnection();
    if (!(connection instanceof JdbcConnection jdbc)) {
      return new Planning(null, "mview: planned offline (no database to compare with) from the definitions in"
          + " this changelog; " + UNKNOWN);
    }
    Connection live = jdbc.getUnderlyingConnection();
    if (!printing(database)) {
      return new Planning(live, null);
    }
    PendingChanges pending = PendingChanges.before(change, database, live, rollingBack);
    if (pending.none()) {
      return new Planning(live, null);
    }
    if (pending.unknown()) {
      return offlineBecause(pending.first() + " is printed, not applied, and changes what mview cannot see");
    }
    Set<QualifiedName> touched = new TreeSet<>(pending.names());
    if (affected.test(Catalog.readWithoutDefinitions(live), touched)) {
      return offlineBecause(pending.first() + " is printed, not applied, and changes " + touched.stream()
          .map(QualifiedName::toString).reduce((a, b) -> a + ", " + b).orElse(""));
    }
    return new Planning(live, null);
  }

  private static Planning offlineBecause(String why) {
    return new Planning(null, "mview: planned offline from the definitions in this changelog: " + why + "; " + UNKNOWN);
  }

  /** Whether Liquibase prints the SQL ({@code update-sql}, {@code rollback-sql}) instead of running it. */
  private static boolean printing(Database database) {
    ExecutorService executors = Scope.getCurrentScope().getSingleton(ExecutorService.class);
    return executors.getExecutor("jdbc", database) instanceof LoggingExecutor;
  }

  /** The connection, when planning live. */
  Optional<Connection> liveConnection() {
    return Optional.ofNullable(connection);
  }
}
