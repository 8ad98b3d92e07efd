package dev.mview.flyway.internal;

import dev.mview.MviewException;
import dev.mview.catalog.Catalog;
import dev.mview.model.QualifiedName;
import dev.mview.plan.Plan;
import dev.mview.plan.Reversal;
import dev.mview.refresh.RefreshOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Supplier;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.Configuration;

/** What both view-migration base classes do when Flyway runs them. */
public final class ViewMigrations {
  private ViewMigrations() {}

  /**
   * Applies {@code declaration} on Flyway's connection (inside its transaction), rebuilding beside
   * the live views first when {@code online}, refreshing the model's materialized views afterwards
   * with {@code refresh} when it is not null, and journals how to undo it: the captured inverse (for
   * undo scripts) and the reversal (for {@code MviewRollback}).
   * Failures become a {@link FlywayException} naming {@code migration}; nothing is left applied.
   */
  public static void apply(String migration, Configuration configuration, Connection connection,
      Declaration declaration, boolean online, RefreshOptions refresh, String version, String description,
      Integer checksum) {
    try {
      Catalog before = Catalog.read(connection);
      Plan plan = ViewPlans.reconcile(connection, before, declaration, online);
      plan.execute(connection);
      if (refresh != null) {
        ViewPlans.refresh(connection, configuration, declaration.model(), refresh, "flyway migration " + description);
      }
      // A table change without reverse statements cannot be undone: no inverse; its reversal says why.
      List<String> inverse = plan.reversible() ? plan.inverse().statements() : List.of();
      journal(configuration, connection).record(connection, version, description, declaration.label(), checksum,
          plan.toScript(), inverse, Reversal.of(before, plan).encode());
    } catch (MviewException e) {
      throw new FlywayException(migration + " failed: " + e.getMessage() + hint(e.kind()), e);
    } catch (SQLException e) {
      throw new FlywayException(migration + " failed: " + e.getMessage(), e);
    }
  }

  /** What to change in Flyway's terms, where the engine's words are its API's; empty when nothing. */
  private static String hint(MviewException.Kind kind) {
    return kind == MviewException.Kind.NO_SUCH_SCHEMA
        ? " With Flyway: list it in Flyway's schemas (flyway.schemas), which Flyway creates before it migrates,"
            + " or create it in an earlier SQL migration"
        : "";
  }

  /** The journal beside the history table {@code configuration} names. */
  public static Journal journal(Configuration configuration, Connection connection) throws SQLException {
    String fallback;
    try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("SELECT current_schema()")) {
      result.next();
      fallback = result.getString(1);
    }
    if (fallback == null && configuration.getDefaultSchema() == null && configuration.getSchemas().length == 0) {
      throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "no schema for the mview journal: the connection has no current schema and"
          + " Flyway names none; set Flyway's defaultSchema");
    }
    QualifiedName history = Journal.historyTable(configuration.getDefaultSchema(), configuration.getSchemas(),
        configuration.getTable(), fallback);
    return Journal.beside(history);
  }

  /** Runs {@code declare}, turning a bad declaration into a Flyway error naming the migration. */
  public static Declaration declare(String migration, Supplier<Declaration> declare) {
    try {
      return declare.get();
    } catch (MviewException e) {
      throw new FlywayException(migration + " declares views that cannot be used: " + e.getMessage(), e);
    }
  }
}
