package dev.mview.it.redefine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.it.liquibase.LiquibaseCommands;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.SiblingDatabase;
import dev.mview.it.support.TestDatabase;
import dev.mview.plan.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Online redefinition through Liquibase, in an XML and a YAML changelog: a changeset with
 * {@code createMaterializedView replaceIfExists="true" online="true"} redefines the root of
 * {@link OnlineClosure}; {@code update-sql} shows the build and then, after the readers-wait
 * marker, the swap; {@code update} ends where the same changeset in place ends; {@code rollback}
 * by count and to a tag gives back the catalog as it was before.
 */
@ExtendWith(PostgresExtension.class)
class LiquibaseOnlineTest {
  private static final String DIR = "dev/mview/it/redefine/";
  private static final String MARKER = "-- " + Plan.READERS_WAIT + "\n";

  /** The closure with its hand-made views, after the changesets before the redefinition; its catalog. */
  private static List<String> beforeRedefinition(TestDatabase db, String changelog) throws Exception {
    db.execute("DROP TABLE IF EXISTS databasechangelog, databasechangeloglock, databasechangelog_mview");
    OnlineClosure.tables(db);
    LiquibaseCommands.on(db).updateCount(changelog, 2);
    OnlineClosure.handMade(db);
    return OnlineClosure.snapshot(db);
  }

  @ParameterizedTest
  @ValueSource(strings = {"xml", "yaml"})
  void anOnlineChangesetEndsWhereInPlaceEndsAndRollbackRestoresTheCatalog(String format, TestDatabase db)
      throws Exception {
    String online = DIR + "root-online." + format;
    List<String> inPlace;
    try (SiblingDatabase sibling = SiblingDatabase.beside(db, "in_place")) {
      String reference = DIR + "root-in-place." + format;
      beforeRedefinition(sibling.db(), reference);
      LiquibaseCommands.on(sibling.db()).update(reference);
      inPlace = OnlineClosure.snapshot(sibling.db());
    }
    List<String> before = beforeRedefinition(db, online);

    String printed = changeSetSection(LiquibaseCommands.on(db).updateSql(online), online + "::root-with-cents::mview");
    assertBuildThenSwap(printed);

    List<String> ran = new ArrayList<>();
    LiquibaseCommands.on(db).updateRecording(online, ran);
    assertEquals(printed, statementsOf(ran, "'root-with-cents'"), "update ran what update-sql printed");
    assertEquals(inPlace, OnlineClosure.snapshot(db));
    assertEquals(0L, OnlineClosure.workSchemas(db));
    assertEquals(500L, db.<Long>value("SELECT count(*) FROM o.root WHERE cents = amount * 100"));

    String undo = LiquibaseCommands.on(db).rollbackCountSql(online, 1);
    int undoBuild = undo.indexOf("CREATE SCHEMA mview_online_");
    assertTrue(undoBuild >= 0 && undo.indexOf(MARKER) > undoBuild, "the rollback is built beside the live views too:\n" + undo);
    LiquibaseCommands.on(db).rollbackCount(online, 1);
    assertEquals(before, OnlineClosure.snapshot(db));
    assertEquals(0L, OnlineClosure.workSchemas(db));

    LiquibaseCommands.on(db).update(online);
    assertEquals(inPlace, OnlineClosure.snapshot(db));
    LiquibaseCommands.on(db).rollbackToTag(online, "before-cents");
    assertEquals(before, OnlineClosure.snapshot(db));
    assertEquals(0L, OnlineClosure.workSchemas(db));
  }

  /**
   * Asserts that {@code printed}, an online plan of the root, builds the closure in a work schema
   * first, then, after the one readers-wait marker, drops the live views, moves the new ones in and
   * drops the work schema.
   */
  private static void assertBuildThenSwap(String printed) {
    int tail = printed.indexOf(MARKER);
    assertTrue(tail > 0 && printed.indexOf(MARKER, tail + 1) < 0, "one readers-wait marker, after the build:\n" + printed);
    String build = printed.substring(0, tail);
    String swap = printed.substring(tail + MARKER.length());
    assertTrue(build.startsWith("-- create o.root: built beside it in mview_online_"), printed);
    assertTrue(build.contains("CREATE INDEX top_total ON mview_online_"), printed);
    assertEquals(List.of("o.orders"), liveNames(build), "the build reads the table and writes only the work schema");
    assertTrue(swap.startsWith("-- drop o.top_names: "), printed);
    assertTrue(swap.contains("DROP MATERIALIZED VIEW o.root;\n"), printed);
    assertEquals(6, swap.split("SET SCHEMA o;\n", -1).length - 1, printed);
    assertTrue(swap.endsWith("\nDROP SCHEMA " + workSchema(printed) + ";\n\n"), printed);
  }

  /** The names in schema o that the statements (not the comments) of {@code sql} use, each once. */
  private static List<String> liveNames(String sql) {
    return sql.lines().filter(line -> !line.startsWith("--"))
        .flatMap(line -> Pattern.compile("\\bo\\.\\w+").matcher(line).results().map(MatchResult::group))
        .distinct().toList();
  }

  /** The work schema a printed online plan builds in. */
  private static String workSchema(String printed) {
    int start = printed.indexOf("CREATE SCHEMA ") + "CREATE SCHEMA ".length();
    return printed.substring(start, printed.indexOf(';', start));
  }

  /**
   * The printed SQL of {@code changeSet}: from its heading to Liquibase's history insert, without
   * the warning Liquibase prints before SQL that is generated when it runs.
   */
  private static String changeSetSection(String script, String changeSet) {
    String heading = "-- Changeset " + changeSet + "\n";
    script = script.replace("-- WARNING The following SQL may change each run and therefore is possibly incorrect"
        + " and/or invalid:\n", "");
    int start = script.indexOf(heading);
    assertTrue(start >= 0, "no " + heading + " in:\n" + script);
    start += heading.length();
    return script.substring(start, script.indexOf("INSERT INTO public.databasechangelog ", start));
  }

  /** What update ran for the changeset whose history row holds {@code id}, printed as update-sql prints it. */
  private static String statementsOf(List<String> ran, String id) {
    StringBuilder section = new StringBuilder();
    for (String sql : ran) {
      if (sql.toLowerCase(Locale.ROOT).contains("databasechangelog")) {
        if (sql.startsWith("INSERT") && sql.contains(id)) {
          return section.toString();
        }
        section.setLength(0);
      } else {
        section.append(sql).append(";\n\n");
      }
    }
    throw new AssertionError("no history row for " + id + " among " + ran);
  }
}
