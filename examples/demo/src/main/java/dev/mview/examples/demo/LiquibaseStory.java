package dev.mview.examples.demo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import liquibase.GlobalConfiguration;
import liquibase.Scope;
import liquibase.command.CommandScope;

/** The Liquibase half of the demo: update, a runAlways refresh, update-sql, a replace, rollback. */
final class LiquibaseStory {
  private static final String RELEASE_1 = "demo/liquibase/release-1.xml";
  private static final String RELEASE_2 = "demo/liquibase/release-2.xml";

  private final DemoServer server;
  private final Console console;

  LiquibaseStory(DemoServer server, Console console) {
    this.server = server;
    this.console = console;
  }

  void run() throws Exception {
    System.setProperty("liquibase.analytics.enabled", "false");
    // Liquibase's own tables go in a schema of the demo's, never touching a history of yours.
    console.execute("DROP SCHEMA IF EXISTS demo_lb, demo_liquibase CASCADE", "CREATE SCHEMA demo_liquibase");

    console.chapter("Liquibase update: createMaterializedView and a runAlways refreshMaterializedViews");
    run("update", RELEASE_1, Map.of());
    console.table("SELECT id, exectype FROM demo_liquibase.databasechangelog ORDER BY orderexecuted");
    console.table("SELECT page, visits FROM demo_lb.page_totals ORDER BY page LIMIT 3");

    console.chapter("Data arrives; the next update's runAlways changeset refreshes in dependency order");
    console.execute("INSERT INTO demo_lb.visits SELECT i, '/page/0', 60, date '2026-11-15' FROM generate_series(5001, 5100) i");
    run("update", RELEASE_1, Map.of());
    console.table("SELECT page, visits FROM demo_lb.page_totals ORDER BY page LIMIT 3");
    console.expect("the refresh saw the new visits", "SELECT visits FROM demo_lb.page_totals WHERE page = '/page/0'",
        console.value("SELECT count(*) FROM demo_lb.visits WHERE page = '/page/0'"));

    console.chapter("update-sql of release 2, offline (no database): the DDL Liquibase would run");
    console.say(offlineUpdateSql(RELEASE_2).strip());

    console.chapter("Liquibase update of release 2: daily_pages replaced, page_totals rebuilt with its grant");
    String oid = "SELECT 'demo_lb.page_totals'::regclass::oid";
    String before = console.value(oid);
    run("update", RELEASE_2, Map.of());
    console.table("SELECT c.relname AS view, c.oid, coalesce(array_to_string(c.relacl, ' '), '') AS grants,"
        + " obj_description(c.oid, 'pg_class') AS comment FROM pg_class c"
        + " WHERE c.relnamespace = 'demo_lb'::regnamespace AND c.relkind = 'm' ORDER BY 1");
    console.expect("page_totals was rebuilt", "SELECT (" + oid + ") <> " + before, "t");
    console.expect("its grant was kept", "SELECT has_table_privilege('demo_reporting', 'demo_lb.page_totals', 'SELECT')", "t");

    console.chapter("Liquibase rollback to the tag before-views: each changeset's inverse, newest first");
    run("rollback", RELEASE_2, Map.of("tag", "before-views"));
    console.table("SELECT count(*) AS views_left FROM pg_matviews WHERE schemaname = 'demo_lb'");
    console.expect("the views are gone", "SELECT count(*) FROM pg_matviews WHERE schemaname = 'demo_lb'", "0");
  }

  private void run(String command, String changelog, Map<String, Object> extra) throws Exception {
    CommandScope scope = new CommandScope(command)
        .addArgumentValue("changelogFile", changelog)
        .addArgumentValue("url", server.url())
        .addArgumentValue("username", server.user());
    if (server.password() != null) {
      scope.addArgumentValue("password", server.password());
    }
    extra.forEach(scope::addArgumentValue);
    scope.setOutput(new ByteArrayOutputStream());
    // Liquibase's own tables go in the demo's schema: a setting of Liquibase's scope, not an argument.
    Scope.child(Map.of(GlobalConfiguration.LIQUIBASE_SCHEMA_NAME.getKey(), "demo_liquibase"), scope::execute);
  }

  /** {@code update-sql} against {@code offline:postgresql}, keeping only the demo's own statements. */
  private static String offlineUpdateSql(String changelog) throws Exception {
    Path history = Files.createTempFile("mview-demo-offline", ".csv");
    Files.delete(history); // Liquibase creates it
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      new CommandScope("updateSql")
          .addArgumentValue("changelogFile", changelog)
          .addArgumentValue("url", "offline:postgresql?changeLogFile=" + history)
          .setOutput(out)
          .execute();
      StringBuilder kept = new StringBuilder();
      boolean inDemo = false;
      for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
        inDemo |= line.startsWith("-- Changeset demo/liquibase/release-2.xml");
        if (inDemo && !line.startsWith("INSERT INTO ") && !line.isBlank()) {
          kept.append(line).append('\n');
        }
      }
      return kept.toString();
    } finally {
      Files.deleteIfExists(history);
    }
  }
}
