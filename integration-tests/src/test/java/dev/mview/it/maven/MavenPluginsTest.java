package dev.mview.it.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Maven plugin examples, run by a real {@code mvn} on small projects
 * ({@code src/test/resources/dev/mview/it/maven}): the Flyway plugin with the refresh callback named
 * by class, {@code MviewRollback} through {@code exec:java}, and the Liquibase plugin with mview as a
 * plugin dependency.
 */
@ExtendWith(PostgresExtension.class)
class MavenPluginsTest {

  @BeforeEach
  void emptyDatabase(TestDatabase db) {
    db.execute("DROP SCHEMA IF EXISTS analytics, shop CASCADE",
        "DROP TABLE IF EXISTS flyway_schema_history, flyway_schema_history_mview, databasechangelog, databasechangeloglock");
  }

  private static List<String> database(TestDatabase db) {
    List<String> properties = new ArrayList<>(List.of("-Ddb.url=" + db.jdbcUrl(), "-Ddb.user=" + db.user()));
    properties.add("-Ddb.password=" + (db.password() == null ? "" : db.password()));
    return properties;
  }

  @Test
  void theFlywayPluginMigratesRefreshingWithTheNamedCallbackAndExecJavaRollsBack(TestDatabase db, @TempDir Path folder)
      throws Exception {
    Maven maven = Maven.in(folder);
    Path project = Maven.project("flyway-project", folder);
    List<String> migrate = new ArrayList<>(List.of("compile", "flyway:migrate"));
    migrate.addAll(database(db));

    String migrated = maven.run(project, migrate.toArray(String[]::new));

    assertEquals(List.of(true), db.column("SELECT ispopulated FROM pg_matviews WHERE matviewname = 'customer_totals'"),
        "created empty, filled by the callback that the plugin's configuration names:\n" + migrated);
    assertEquals(5L, db.<Long>value("SELECT count(*) FROM analytics.customer_totals"));

    String arguments = "--url=" + db.jdbcUrl() + " --user=" + db.user()
        + (db.password() == null ? "" : " --password=" + db.password()) + " --target=1";
    String output = maven.run(project, "-q", "exec:java", "-Dexec.mainClass=dev.mview.flyway.MviewRollback",
        "-Dexec.args=" + arguments);

    assertTrue(output.contains("mview: undone 2 (Customer views: create or replace analytics.customer_totals)"), output);
    assertEquals(0L, db.<Long>value("SELECT count(*) FROM pg_matviews WHERE schemaname = 'analytics'"));
    assertEquals(List.of("1"), db.column("SELECT version FROM flyway_schema_history ORDER BY installed_rank"));
  }

  @Test
  void theLiquibasePluginFindsTheChangeTypesAsAPluginDependency(TestDatabase db, @TempDir Path folder) throws Exception {
    Maven maven = Maven.in(folder);
    Path project = Maven.project("liquibase-project", folder);
    List<String> update = new ArrayList<>(List.of("-q", "liquibase:update"));
    update.addAll(database(db));

    maven.run(project, update.toArray(String[]::new));

    assertEquals("c4", db.value("SELECT customer FROM analytics.top_customer"), "the reader, declared first, came second");

    List<String> rollback = new ArrayList<>(List.of("-q", "liquibase:rollback", "-Dliquibase.rollbackCount=1"));
    rollback.addAll(database(db));
    maven.run(project, rollback.toArray(String[]::new));

    assertEquals(0L, db.<Long>value("SELECT count(*) FROM pg_matviews WHERE schemaname = 'analytics'"));
  }
}
