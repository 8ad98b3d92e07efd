package dev.mview.flyway;

import dev.mview.MviewException;
import dev.mview.flyway.internal.Arguments;
import dev.mview.flyway.internal.HistoryRow;
import dev.mview.flyway.internal.Journal;
import dev.mview.flyway.internal.JournalEntry;
import dev.mview.flyway.internal.ViewMigrations;
import dev.mview.plan.Reversal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.Configuration;

/**
 * Rolls a database back to an earlier version with Flyway's free edition, for view migrations:
 *
 * <pre>{@code
 * MviewRollback.rollbackTo(flyway, "1");
 * }</pre>
 *
 * Every applied migration above the target (versioned migrations with a higher version, and
 * repeatable migrations applied after the first of them) must be an mview migration
 * ({@link MaterializedViewMigration} or {@link RepeatableViewMigration}). Each is undone, newest
 * first, as a redefinition back to what it replaced, planned from the catalog as it is at rollback
 * time: the views it created are dropped, the ones it replaced or altered are defined back as they
 * were (their readers rebuilt), keeping the grants, comments, owner and hand-made indexes they have
 * now, and the ones it dropped are created again with what they had then. Their rows are removed
 * from Flyway's schema history, all in one transaction. A later {@code migrate} applies them again.
 * When any other migration lies above the target, nothing is done and the error names it.
 *
 * <p>From the command line (this module, {@code mview-shared-model}, flyway-core, Flyway's PostgreSQL
 * plugin and the PostgreSQL driver on the class path), or with {@code mvn exec:java} in a project
 * that has them as dependencies:
 *
 * <pre>
 * java dev.mview.flyway.MviewRollback --url=jdbc:postgresql://localhost/shop --user=shop \
 *     --password=secret --target=1 [--schema=public] [--table=flyway_schema_history]
 * </pre>
 */
public final class MviewRollback {
  private MviewRollback() {}

  /** One migration that a rollback undid. */
  public record Undone(String version, String description) {}

  /**
   * Undoes the migrations above {@code targetVersion} on the database {@code flyway} is configured
   * for, and returns them, newest first (empty when none lies above the target).
   *
   * @throws MviewException when a migration above the target is not an mview migration, failed,
   *     or its inverse cannot be applied; the database is then left as it was
   */
  public static List<Undone> rollbackTo(Flyway flyway, String targetVersion) {
    Configuration configuration = flyway.getConfiguration();
    DataSource dataSource = configuration.getDataSource();
    MigrationVersion target = MigrationVersion.fromVersion(targetVersion);
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        List<Undone> undone = rollBack(ViewMigrations.journal(configuration, connection), connection, target,
            targetVersion);
        connection.commit();
        return undone;
      } catch (RuntimeException | SQLException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new MviewException(MviewException.Kind.DATABASE, "could not roll back to version " + targetVersion + ": " + e.getMessage()
          + "\nNothing was changed.", e);
    }
  }

  /**
   * Command line: {@code --url --user --password --target} and optionally {@code --schema} and
   * {@code --table} as in Flyway's configuration. Prints each migration undone; exits with 1, saying
   * why, when the rollback is refused or fails (nothing is changed then), and with 2 on bad arguments.
   */
  public static void main(String[] args) {
    List<String> allowed = new ArrayList<>(Arguments.DATABASE);
    allowed.add("target");
    Map<String, String> options = Arguments.parse(args, allowed, List.of("url", "user", "target"),
        "java dev.mview.flyway.MviewRollback --url=<jdbc url> --user=<user> [--password=<password>]"
            + " --target=<version> [--schema=<flyway schema>] [--table=<flyway history table>]", System.err);
    if (options == null) {
      System.exit(2);
      return;
    }
    String target = options.get("target");
    try {
      List<Undone> undone = rollbackTo(Arguments.flyway(options), target);
      if (undone.isEmpty()) {
        System.out.println("mview: nothing lies above version " + target);
      }
      for (Undone migration : undone) {
        System.out.println("mview: undone " + (migration.version() == null ? "repeatable" : migration.version()) + " ("
            + migration.description() + ")");
      }
    } catch (MviewException e) {
      System.err.println("mview: " + e.getMessage());
      System.exit(1);
    }
  }

  private static List<Undone> rollBack(Journal journal, Connection connection, MigrationVersion target,
      String targetVersion) throws SQLException {
    journal.lockHistory(connection);
    List<HistoryRow> above = above(journal.historyRows(connection), target, targetVersion);
    Map<Integer, JournalEntry> entries = Journal.match(journal.historyRows(connection), journal.entries(connection));
    for (HistoryRow row : above) {
      check(row, entries.get(row.installedRank()), targetVersion);
    }
    List<Undone> undone = new ArrayList<>();
    try (Statement statement = connection.createStatement()) {
      for (HistoryRow row : above) {
        JournalEntry entry = entries.get(row.installedRank());
        if (entry.reversal() != null) {
          undo(connection, Reversal.decode(entry.reversal()), row, targetVersion);
        } else {
          for (String sql : entry.inverse()) {
            run(statement, sql, row, targetVersion);
          }
        }
        statement.execute(journal.deleteStatement(entry.id()));
        statement.execute(journal.deleteHistoryStatement(row.installedRank()));
        undone.add(new Undone(row.version(), row.description()));
      }
    }
    return undone;
  }

  /**
   * The history rows to undo, newest first: versioned rows above the target, and every row applied
   * after the first of them (repeatable ones must go too; a versioned one at or below the target
   * applied out of order cannot be kept under what is undone, so it is refused).
   */
  private static List<HistoryRow> above(List<HistoryRow> rows, MigrationVersion target, String targetVersion) {
    int firstRank = Integer.MAX_VALUE;
    for (HistoryRow row : rows) {
      if (row.version() != null && MigrationVersion.fromVersion(row.version()).compareTo(target) > 0) {
        firstRank = Math.min(firstRank, row.installedRank());
      }
    }
    List<HistoryRow> above = new ArrayList<>();
    for (HistoryRow row : rows) {
      if (row.installedRank() < firstRank) {
        continue;
      }
      if (row.version() != null && MigrationVersion.fromVersion(row.version()).compareTo(target) <= 0) {
        throw new MviewException(MviewException.Kind.IRREVERSIBLE, "cannot roll back to version " + targetVersion + ": migration " + row.label()
            + " was applied out of order after migrations above " + targetVersion
            + ", and undoing those under it could break it. Choose a target at or above " + row.version() + ".");
      }
      above.add(row);
    }
    above.sort(Comparator.comparingInt(HistoryRow::installedRank).reversed());
    return above;
  }

  private static void check(HistoryRow row, JournalEntry entry, String targetVersion) {
    if (!row.success()) {
      throw new MviewException(MviewException.Kind.IRREVERSIBLE, "cannot roll back to version " + targetVersion + ": migration " + row.label()
          + " is recorded as failed; run flyway repair first, then roll back");
    }
    if (entry == null) {
      throw new MviewException(MviewException.Kind.IRREVERSIBLE, "cannot roll back to version " + targetVersion + ": migration " + row.label()
          + " (" + row.type() + " " + row.script() + ") lies above it and is not an mview view migration with a"
          + " journaled inverse; mview can undo only MaterializedViewMigration and RepeatableViewMigration."
          + " Undo that migration by other means, or choose a target at or above it. Nothing was changed.");
    }
  }

  /**
   * Undoes one migration as a redefinition back, planned from the catalog as it is now: what the
   * views carry now (grants, comments, owner, hand-made indexes) is kept.
   */
  private static void undo(Connection connection, Reversal reversal, HistoryRow row, String targetVersion) {
    try {
      reversal.plan(connection).execute(connection);
    } catch (MviewException e) {
      throw new MviewException(e.kind(), "cannot roll back to version " + targetVersion + ": undoing migration "
          + row.label() + " failed: " + e.getMessage() + "\nThe rollback was cancelled; nothing was changed.", e);
    }
  }

  private static void run(Statement statement, String sql, HistoryRow row, String targetVersion) {
    try {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new MviewException(MviewException.Kind.STATEMENT_FAILED, "cannot roll back to version " + targetVersion + ": undoing migration "
          + row.label() + " failed: " + e.getMessage() + "\n  while running: " + sql
          + "\nThe rollback was cancelled; nothing was changed.", e);
    }
  }
}
