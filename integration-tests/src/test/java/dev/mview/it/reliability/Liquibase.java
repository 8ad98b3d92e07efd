package dev.mview.it.reliability;

import dev.mview.it.support.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import liquibase.command.CommandScope;

/**
 * Liquibase commands on changelogs the reliability tests write as they go: each is written under
 * the test class path, where Liquibase's default resource accessor finds it by a relative path.
 */
final class Liquibase {
  static {
    System.setProperty("liquibase.analytics.enabled", "false");
  }

  private static final AtomicInteger NEXT = new AtomicInteger();

  private Liquibase() {}

  /** Writes {@code content} as a new changelog with {@code extension} (yaml, xml, json); returns its path. */
  static String changelog(String content, String extension) throws Exception {
    String name = "mview-reliability/changelog-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet() + "."
        + extension;
    Path file = classPathRoot().resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return name;
  }

  /** {@code update} of {@code changelog} (a class path resource) against {@code db}. */
  static void update(TestDatabase db, String changelog) throws Exception {
    scope("update", db, changelog).execute();
  }

  /** {@code update} of {@code changelog} against {@code url} (a URL of {@code db} with settings of its own). */
  static void update(String url, TestDatabase db, String changelog) throws Exception {
    scope("update", db, changelog).addArgumentValue("url", url).execute();
  }

  /** {@code release-locks} on {@code url}: what an operator runs after an update was killed holding Liquibase's lock. */
  static void releaseLocks(String url, TestDatabase db) throws Exception {
    CommandScope scope = new CommandScope("releaseLocks").addArgumentValue("url", url).addArgumentValue("username", db.user());
    if (db.password() != null) {
      scope.addArgumentValue("password", db.password());
    }
    scope.setOutput(new ByteArrayOutputStream());
    scope.execute();
  }

  /** {@code rollback-count 1} of {@code changelog}. */
  static void rollbackOne(TestDatabase db, String changelog) throws Exception {
    CommandScope scope = scope("rollbackCount", db, changelog);
    scope.addArgumentValue("count", 1);
    scope.execute();
  }

  private static CommandScope scope(String command, TestDatabase db, String changelog) throws Exception {
    CommandScope scope = new CommandScope(command)
        .addArgumentValue("changelogFile", changelog)
        .addArgumentValue("url", db.jdbcUrl())
        .addArgumentValue("username", db.user());
    if (db.password() != null) {
      scope.addArgumentValue("password", db.password());
    }
    scope.setOutput(new ByteArrayOutputStream());
    return scope;
  }

  private static Path classPathRoot() throws URISyntaxException {
    return Path.of(Liquibase.class.getResource("/").toURI());
  }

  /** The messages of {@code e} and its causes, joined: Liquibase wraps errors several times. */
  static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }
}
