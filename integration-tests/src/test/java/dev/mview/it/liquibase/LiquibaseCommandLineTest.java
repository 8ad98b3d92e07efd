package dev.mview.it.liquibase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Liquibase's own command line ({@code liquibase.integration.commandline.LiquibaseCommandLine}) with
 * mview on the class path, in a JVM of its own: it needs picocli, which liquibase-core declares
 * optional, so a Maven or Gradle class path does not bring it (the README says so).
 */
@ExtendWith(PostgresExtension.class)
class LiquibaseCommandLineTest {
  private static final String PICOCLI = "info/picocli/picocli/4.7.7/picocli-4.7.7.jar";

  @BeforeEach
  void emptyDatabase(TestDatabase db) {
    db.execute("DROP SCHEMA IF EXISTS analytics, shop CASCADE", "DROP TABLE IF EXISTS databasechangelog, databasechangeloglock");
  }

  @Test
  void updateRunsTheChangeTypesWithPicocliOnTheClassPathAndNotWithout(TestDatabase db) throws Exception {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path picocli = Path.of(System.getProperty("mview.test.local.repository",
        System.getProperty("user.home") + "/.m2/repository")).resolve(PICOCLI);
    assertTrue(Files.exists(picocli), "picocli is in the local repository: " + picocli);

    Result without = run(classPath, db);
    assertNotEquals(0, without.exit());
    assertTrue(without.output().contains("picocli"), without.output());

    Result with = run(classPath + File.pathSeparator + picocli, db);
    assertEquals(0, with.exit(), with.output());
    assertEquals(List.of(true, true), db.column("SELECT ispopulated FROM pg_matviews WHERE schemaname = 'analytics'"));
  }

  private record Result(int exit, String output) {}

  private static Result run(String classPath, TestDatabase db) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classPath, "-Dliquibase.analytics.enabled=false", "liquibase.integration.commandline.LiquibaseCommandLine",
        "--changelog-file=dev/mview/it/liquibase/readme/changelog.yaml", "--url=" + db.jdbcUrl(),
        "--username=" + db.user()));
    if (db.password() != null) {
      command.add("--password=" + db.password());
    }
    command.add("update");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the command line did not end");
    return new Result(process.exitValue(), output);
  }
}
