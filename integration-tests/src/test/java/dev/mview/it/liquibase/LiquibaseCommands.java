package dev.mview.it.liquibase;

import dev.mview.it.support.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.listener.SqlListener;

/** Runs Liquibase commands the way a user's tooling does: through {@link CommandScope}, by URL. */
public final class LiquibaseCommands {
  static {
    // No usage reporting from tests (Liquibase 4.30+ would try to send it).
    System.setProperty("liquibase.analytics.enabled", "false");
  }

  private final TestDatabase db;
  private final String url;

  private LiquibaseCommands(TestDatabase db, String url) {
    this.db = db;
    this.url = url;
  }

  /** Commands against {@code db}. */
  public static LiquibaseCommands on(TestDatabase db) {
    return new LiquibaseCommands(db, db.jdbcUrl());
  }

  /** Commands against {@code db} on connections that give up waiting for a lock after {@code millis}. */
  public static LiquibaseCommands withLockTimeout(TestDatabase db, int millis) {
    String separator = db.jdbcUrl().contains("?") ? "&" : "?";
    return new LiquibaseCommands(db, db.jdbcUrl() + separator + "options=-c%20lock_timeout%3D" + millis);
  }

  public void update(String changelog) throws Exception {
    run("update", changelog, Map.of());
  }

  public void updateCount(String changelog, int count) throws Exception {
    run("updateCount", changelog, Map.of("count", count));
  }

  public void rollbackCount(String changelog, int count) throws Exception {
    run("rollbackCount", changelog, Map.of("count", count));
  }

  public void rollbackToTag(String changelog, String tag) throws Exception {
    run("rollback", changelog, Map.of("tag", tag));
  }

  /** {@code update}, recording every statement Liquibase runs for it, in order, into {@code ran}. */
  public void updateRecording(String changelog, List<String> ran) throws Exception {
    SqlListener recorder = new SqlListener() {
      @Override
      public void writeSqlWillRun(String sql) {
        ran.add(sql);
      }
    };
    Scope.child(recorder, () -> run("update", changelog, Map.of()));
  }

  /** {@code update-sql} against the live database: the SQL {@code update} would run, printed. */
  public String updateSql(String changelog) throws Exception {
    return print("updateSql", url, changelog, Map.of());
  }

  public void validate(String changelog) throws Exception {
    run("validate", changelog, Map.of());
  }

  /** The SQL {@code rollback-count} would run, printed with the database's history. */
  public String rollbackCountSql(String changelog, int count) throws Exception {
    return print("rollbackCountSql", url, changelog, Map.of("count", count));
  }

  /** {@code update-sql} against {@code offline:postgresql}: no database at all. */
  public static String offlineUpdateSql(String changelog) throws Exception {
    return offlineUpdateSql(changelog, "postgresql");
  }

  /**
   * {@code update-sql} against {@code offline:postgresql} with {@code history} as the offline
   * history file (created or updated) and {@code parameters} added to the URL.
   */
  public static String offlineUpdateSql(String changelog, Path history, String parameters) throws Exception {
    return printStatic("updateSql", Map.of("changelogFile", changelog,
        "url", "offline:postgresql?changeLogFile=" + history + "&" + parameters));
  }

  /**
   * {@code rollback-count-sql} against {@code offline:postgresql}, with the history {@code history}
   * holds and {@code parameters} added to the URL.
   */
  public static String offlineRollbackCountSql(String changelog, Path history, String parameters, int count) throws Exception {
    return printStatic("rollbackCountSql", Map.of("changelogFile", changelog, "count", count,
        "url", "offline:postgresql?changeLogFile=" + history + "&" + parameters));
  }

  /** {@code update-sql} against {@code offline:<database>}. */
  public static String offlineUpdateSql(String changelog, String database) throws Exception {
    Path history = Files.createTempFile("mview-offline-history", ".csv");
    Files.delete(history); // Liquibase creates it
    try {
      return printStatic("updateSql", Map.of("changelogFile", changelog, "url", "offline:" + database + "?changeLogFile=" + history));
    } finally {
      Files.deleteIfExists(history);
    }
  }

  private void run(String command, String changelog, Map<String, Object> extra) throws Exception {
    CommandScope scope = new CommandScope(command)
        .addArgumentValue("changelogFile", changelog)
        .addArgumentValue("url", url)
        .addArgumentValue("username", db.user());
    if (db.password() != null) {
      scope.addArgumentValue("password", db.password());
    }
    extra.forEach(scope::addArgumentValue);
    scope.setOutput(new ByteArrayOutputStream());
    scope.execute();
  }

  private String print(String command, String target, String changelog, Map<String, Object> extra) throws Exception {
    Map<String, Object> arguments = new LinkedHashMap<>(extra);
    arguments.put("changelogFile", changelog);
    arguments.put("url", target);
    arguments.put("username", db.user());
    if (db.password() != null) {
      arguments.put("password", db.password());
    }
    return printStatic(command, arguments);
  }

  private static String printStatic(String command, Map<String, Object> arguments) throws Exception {
    CommandScope scope = new CommandScope(command);
    arguments.forEach(scope::addArgumentValue);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    scope.setOutput(out);
    scope.execute();
    return out.toString(StandardCharsets.UTF_8);
  }
}
