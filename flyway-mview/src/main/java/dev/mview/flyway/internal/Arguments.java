package dev.mview.flyway.internal;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/** The command lines of {@code UndoScripts} and {@code MviewRollback}: {@code --key=value} options. */
public final class Arguments {
  /** The options that name Flyway's database and history table, as in Flyway's configuration. */
  public static final List<String> DATABASE = List.of("url", "user", "password", "schema", "table");

  private Arguments() {}

  /**
   * The options of {@code args}, or null after printing to {@code err} what is wrong and
   * {@code usage}: an option not in {@code allowed}, or one of {@code required} missing.
   */
  public static Map<String, String> parse(String[] args, List<String> allowed, List<String> required, String usage,
      PrintStream err) {
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      String key = arg.startsWith("--") && equals > 2 ? arg.substring(2, equals) : null;
      if (key == null || !allowed.contains(key)) {
        err.println("unknown argument '" + arg + "'");
        options = null;
        break;
      }
      options.put(key, arg.substring(equals + 1));
    }
    if (options == null || !options.keySet().containsAll(required)) {
      err.println("usage: " + usage);
      return null;
    }
    return options;
  }

  /** Flyway on the database and history table that {@code options} name ({@link #DATABASE}). */
  public static Flyway flyway(Map<String, String> options) {
    FluentConfiguration configuration = Flyway.configure()
        .dataSource(options.get("url"), options.get("user"), options.get("password"));
    if (options.containsKey("schema")) {
      configuration.schemas(options.get("schema"));
    }
    if (options.containsKey("table")) {
      configuration.table(options.get("table"));
    }
    return configuration.load();
  }
}
