package dev.mview.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built command-line jar ({@code mview-cli-<version>-all.jar}), run with {@code java -jar} as a
 * real process, connected by the {@code PG*} environment variables psql reads.
 */
@ExtendWith(PostgresExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CommandLineTest {
  private static final String SECRET = "not-echoed-3141";
  /** A duration as the command prints it: {@code 850 ms}, {@code 1.2 s}, {@code 5 m 3 s}. */
  private static final String DURATION = "(\\d+ ms|\\d+\\.\\d s|\\d+ m \\d+ s)";

  @BeforeAll
  static void views(TestDatabase db) {
    db.execute("CREATE SCHEMA cli", "CREATE TABLE cli.t (id int PRIMARY KEY)",
        "INSERT INTO cli.t SELECT generate_series(1, 3)",
        "CREATE MATERIALIZED VIEW cli.keyed AS SELECT id FROM cli.t", "CREATE UNIQUE INDEX ON cli.keyed (id)",
        "CREATE MATERIALIZED VIEW cli.unkeyed AS SELECT id FROM cli.keyed",
        "CREATE MATERIALIZED VIEW cli.other AS SELECT count(*) AS n FROM cli.t");
  }

  private record Result(int exit, String out, String err) {}

  /** {@code java -jar} the built jar with {@code args}, the connection in the environment. */
  private static Result mview(TestDatabase db, String... args) throws Exception {
    Path jar = Path.of(System.getProperty("mview.test.cli.jar", "../mview-cli/target/mview-cli-all.jar"));
    assertTrue(Files.isRegularFile(jar), "the command-line jar is built: " + jar);
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment(db));
    Process process = builder.start();
    process.getOutputStream().close();
    var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    String out = read(process.getInputStream());
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the command did not end");
    Result result = new Result(process.exitValue(), out, err.get());
    assertFalse(result.out().contains(SECRET) || result.err().contains(SECRET), "the password is never printed");
    return result;
  }

  private static Map<String, String> environment(TestDatabase db) {
    URI uri = URI.create(db.jdbcUrl().substring("jdbc:".length()));
    Map<String, String> env = new HashMap<>();
    env.put("PGHOST", uri.getHost());
    env.put("PGPORT", String.valueOf(uri.getPort()));
    env.put("PGDATABASE", uri.getPath().substring(1));
    env.put("PGUSER", db.user());
    env.put("PGPASSWORD", db.password() == null ? SECRET : db.password());
    return env;
  }

  private static String read(java.io.InputStream stream) {
    try {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  @Order(1)
  void aDryRunPrintsThePlanWithReasonsAndChangesNothing(TestDatabase db) throws Exception {
    db.execute("INSERT INTO cli.t VALUES (4)");

    Result result = mview(db, "refresh", "cli.keyed", "--downstream", "--dry-run");

    assertEquals(0, result.exit(), result.err());
    assertEquals("""
        dry run: 2 materialized views would be refreshed, nothing was changed
        [1/2] cli.keyed concurrently: unique index keyed_id_idx on (id)
        [2/2] cli.unkeyed plain: no usable unique index: it has no unique index (after cli.keyed)
        """, result.out());
    assertEquals(3L, db.<Long>value("SELECT count(*) FROM cli.keyed"), "not refreshed");
    assertEquals(0L, db.<Long>value("SELECT count(*) FROM pg_class WHERE relname = 'mview_refresh_history'"));
  }

  @Test
  @Order(2)
  void refreshShowsProgressPerViewRecordsItAndStatusShowsThemFresh(TestDatabase db) throws Exception {
    Result refresh = mview(db, "refresh", "--schema", "cli", "-j", "2");

    assertEquals(0, refresh.exit(), refresh.out() + refresh.err());
    List<String> lines = refresh.out().lines().toList();
    assertEquals("refreshing 3 materialized views", lines.get(0));
    assertEquals(List.of("[1/3]", "[2/3]", "[3/3]"), lines.subList(1, 4).stream().map(l -> l.split(" ")[0]).toList());
    assertTrue(lines.subList(1, 4).stream().anyMatch(l -> l.matches("\\[\\d/3] cli\\.keyed concurrently " + DURATION)),
        refresh.out());
    assertTrue(lines.get(4).startsWith("refreshed 3 of 3 in "), refresh.out());
    assertEquals(4L, db.<Long>value("SELECT count(*) FROM cli.keyed"));
    assertEquals(List.of("cli"), db.column("SELECT DISTINCT ran_by FROM public.mview_refresh_history"));

    Result status = mview(db, "status", "--schema", "cli", "--max-age", "1h");

    assertEquals(0, status.exit(), status.out() + status.err());
    List<String> rows = status.out().lines().toList();
    assertEquals(4, rows.size(), status.out());
    assertTrue(rows.get(0).matches("view +populated +last success +age +took +last outcome"), rows.get(0));
    assertTrue(rows.get(1).matches("cli\\.keyed +yes +20\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +" + DURATION + " +" + DURATION
        + " +REFRESHED"), rows.get(1));
  }

  @Test
  @Order(3)
  void statusExitsOneAndNamesTheViewsOlderThanMaxAgeNeverRefreshedOrUnpopulated(TestDatabase db) throws Exception {
    db.execute("UPDATE public.mview_refresh_history SET started_at = started_at - interval '3 hours',"
            + " finished_at = finished_at - interval '3 hours' WHERE view_name = 'other'",
        "CREATE MATERIALIZED VIEW cli.empty AS SELECT 1 AS one WITH NO DATA");

    Result status = mview(db, "status", "--schema", "cli", "--max-age", "2h");

    assertEquals(1, status.exit(), status.out() + status.err());
    assertTrue(status.out().lines().anyMatch(l -> l.matches("cli\\.empty +no +never recorded +- +- +-")), status.out());
    assertTrue(status.out().lines().anyMatch(l -> l.matches("cli\\.other +yes +\\S+ +3 h 0 m +" + DURATION + " +REFRESHED")),
        status.out());
    assertTrue(status.out().endsWith("2 stale (older than 2 h 0 m, never refreshed, or not populated):"
        + " cli.empty, cli.other\n"), status.out());
    assertEquals(0, mview(db, "status", "--schema", "cli").exit(), "without --max-age nothing is stale");
  }

  @Test
  @Order(4)
  void aFailedViewExitsOneAWrongFlagTwoAndAnUnreachableDatabaseThree(TestDatabase db, @TempDir Path folder)
      throws Exception {
    db.execute("CREATE TABLE cli.divisor (d int)", "INSERT INTO cli.divisor VALUES (0)",
        "CREATE MATERIALIZED VIEW cli.bad AS SELECT 1 AS one WITH NO DATA");
    db.execute("DROP MATERIALIZED VIEW cli.bad",
        "CREATE MATERIALIZED VIEW cli.bad AS SELECT 1 / min(d) AS q FROM cli.divisor WITH NO DATA");

    Result failed = mview(db, "refresh", "cli.bad");
    assertEquals(1, failed.exit(), failed.out() + failed.err());
    assertTrue(failed.out().contains("[1/1] cli.bad FAILED: ERROR: division by zero"), failed.out());

    Result usage = mview(db, "refresh", "--lock-timeout", "soon");
    assertEquals(2, usage.exit());
    assertTrue(usage.err().contains("'soon' is not a duration"), usage.err());

    Path password = Files.writeString(folder.resolve("password"), SECRET + "\n");
    Result unreachable = mview(db, "status", "--port", "1", "--password-file", password.toString());
    assertEquals(3, unreachable.exit(), unreachable.out() + unreachable.err());
    assertTrue(unreachable.err().startsWith("mview: "), unreachable.err());
  }

  @Test
  @Order(5)
  void graphPrintsMermaidOrDot(TestDatabase db) throws Exception {
    Result mermaid = mview(db, "graph", "--schema", "cli");
    assertEquals(0, mermaid.exit(), mermaid.err());
    assertTrue(mermaid.out().startsWith("flowchart LR\n"), mermaid.out());
    assertTrue(mermaid.out().contains("cli.unkeyed"), mermaid.out());

    Result dot = mview(db, "graph", "--schema", "cli", "--format", "dot");
    assertEquals(0, dot.exit(), dot.err());
    assertTrue(dot.out().startsWith("digraph"), dot.out());
  }
}
