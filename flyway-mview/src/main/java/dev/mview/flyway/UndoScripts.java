package dev.mview.flyway;

import dev.mview.MviewException;
import dev.mview.flyway.internal.Arguments;
import dev.mview.flyway.internal.HistoryRow;
import dev.mview.flyway.internal.Journal;
import dev.mview.flyway.internal.JournalEntry;
import dev.mview.flyway.internal.ViewMigrations;
import dev.mview.plan.Reversal;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * Renders undo scripts for Flyway's {@code undo} command (paid edition): one
 * {@code U<version>__<description>.sql} per applied versioned view migration, holding the inverse
 * that was captured when it ran, and the statement that removes its journal entry. Run it against
 * the database after {@code migrate}, and put the files beside your migrations.
 *
 * <pre>{@code
 * List<Path> written = UndoScripts.write(flyway, Path.of("src/main/resources/db/migration"));
 * }</pre>
 *
 * or from the command line (flyway-core, the PostgreSQL driver, mview-shared-model and this
 * module on the class path):
 *
 * <pre>
 * java dev.mview.flyway.UndoScripts --url=jdbc:postgresql://localhost/shop --user=shop \
 *     --password=secret --output=src/main/resources/db/migration [--schema=public] [--table=flyway_schema_history]
 * </pre>
 */
public final class UndoScripts {
  private UndoScripts() {}

  /**
   * Writes the undo scripts of every applied versioned view migration of {@code flyway}'s database
   * into {@code directory} (created if missing, existing files of the same name replaced) and
   * returns the files written, by version.
   */
  public static List<Path> write(Flyway flyway, Path directory) {
    try (Connection connection = flyway.getConfiguration().getDataSource().getConnection()) {
      Journal journal = ViewMigrations.journal(flyway.getConfiguration(), connection);
      List<HistoryRow> rows = journal.historyRows(connection);
      Map<Integer, JournalEntry> entries = Journal.match(rows, journal.entries(connection));
      Files.createDirectories(directory);
      List<Path> written = new ArrayList<>();
      for (HistoryRow row : rows) {
        JournalEntry entry = entries.get(row.installedRank());
        if (row.version() != null && entry != null) {
          refuseIrreversible(row, entry);
          Path file = directory.resolve(fileName(entry));
          Files.writeString(file, render(journal, row, entry), StandardCharsets.UTF_8);
          written.add(file);
        }
      }
      return written;
    } catch (SQLException | IOException e) {
      throw new MviewException(MviewException.Kind.FILE, "could not write undo scripts to " + directory + ": " + e.getMessage(), e);
    }
  }

  /** A migration whose table change was given no reverse statements has no undo script to write. */
  private static void refuseIrreversible(HistoryRow row, JournalEntry entry) {
    String why = entry.reversal() == null ? null : Reversal.decode(entry.reversal()).irreversible().orElse(null);
    if (why != null) {
      throw new MviewException(MviewException.Kind.IRREVERSIBLE, "cannot write the undo script of migration "
          + row.label() + ": " + why + ". Give them in the migration (alterTable(...).reverse(...)), or undo it by"
          + " other means. No script was written.");
    }
  }

  /** {@code U3__Sales_views.sql}: the version and the class-derived description. */
  static String fileName(JournalEntry entry) {
    return "U" + entry.version() + "__" + entry.label().replaceAll("[^A-Za-z0-9]+", "_") + ".sql";
  }

  static String render(Journal journal, HistoryRow row, JournalEntry entry) {
    StringBuilder script = new StringBuilder()
        .append("-- Undoes migration ").append(row.version()).append(": ").append(oneLine(row.description())).append('\n')
        .append("-- Rendered by mview from the inverse captured when it ran; for Flyway's undo command.\n")
        .append("-- Not known here: grants, comments, owners and indexes given to these views since it ran;\n")
        .append("-- they are set back as they were then. MviewRollback.rollbackTo keeps them.\n");
    for (String sql : entry.inverse()) {
      script.append(sql).append(";\n");
    }
    script.append(journal.deleteStatement(entry.id())).append(";\n");
    return script.toString();
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s+", " ");
  }

  /**
   * Command line: {@code --url --user --password --output} and optionally {@code --schema} and
   * {@code --table} as in Flyway's configuration. Prints the files written.
   */
  public static void main(String[] args) {
    Map<String, String> options = parse(args, System.err);
    if (options == null) {
      System.exit(2);
      return;
    }
    for (Path file : write(Arguments.flyway(options), Path.of(options.get("output")))) {
      System.out.println(file);
    }
  }

  /** The {@code --key=value} options, or null after printing what is wrong to {@code err}. */
  static Map<String, String> parse(String[] args, PrintStream err) {
    List<String> allowed = new ArrayList<>(Arguments.DATABASE);
    allowed.add("output");
    return Arguments.parse(args, allowed, List.of("url", "user", "output"), "java dev.mview.flyway.UndoScripts"
        + " --url=<jdbc url> --user=<user> [--password=<password>] --output=<directory> [--schema=<flyway schema>]"
        + " [--table=<flyway history table>]", err);
  }
}
