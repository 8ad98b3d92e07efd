package dev.mview.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mview} command: {@code refresh}, {@code status} and {@code graph} on one PostgreSQL
 * database. Exit codes: {@value #OK} done (and, for {@code status --max-age}, every view fresh),
 * {@value #NOT_DONE} a view failed to refresh or is stale, {@value #USAGE} the command line is
 * wrong, {@value #ERROR} the database could not be reached or the request cannot be planned.
 */
@Command(name = "mview", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Refresh PostgreSQL materialized views in dependency order, see how fresh they are, draw their graph.",
    subcommands = {RefreshCommand.class, StatusCommand.class, GraphCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done; for status --max-age: every view is fresh",
        "1:a view failed to refresh, or (status --max-age) a view is stale",
        "2:the command line is wrong",
        "3:the database cannot be reached or read, or the request cannot be planned"})
public final class Main {
  /** Done. */
  public static final int OK = 0;
  /** A view failed to refresh, or a view is older than {@code --max-age}. */
  public static final int NOT_DONE = 1;
  /** The command line is wrong. */
  public static final int USAGE = 2;
  /** The database cannot be reached or read, or the request cannot be planned. */
  public static final int ERROR = 3;

  private Main() {}

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv()));
  }

  /**
   * Runs the command with {@code env} standing for the environment ({@code PGHOST}, ...), printing
   * to {@code out} and {@code err}; returns the exit code.
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
    CommandLine line = new CommandLine(Main.class, new Factory(env));
    line.setOut(out);
    line.setErr(err);
    line.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      err.println("mview: " + e.getMessage());
      return ERROR;
    });
    int code = line.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** Gives commands the environment they read connection settings from. */
  private record Factory(Map<String, String> env) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (type == ConnectionOptions.class) {
        return type.cast(new ConnectionOptions(env));
      }
      return CommandLine.defaultFactory().create(type);
    }
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"mview " + (version == null ? "(development build)" : version)};
    }
  }
}
