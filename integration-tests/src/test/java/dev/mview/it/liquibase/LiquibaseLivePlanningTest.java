package dev.mview.it.liquibase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Plans made from the live catalog: {@code update-sql} prints exactly what {@code update} then runs,
 * views made outside the changelog included, unless a change printed before it may have changed
 * what it reads; and a cascading drop takes the readers by name and gives them back on rollback.
 */
@ExtendWith(PostgresExtension.class)
class LiquibaseLivePlanningTest {
  private static final String DIR = "dev/mview/it/liquibase/cases/";

  @Test
  void updateSqlPrintsExactlyWhatUpdateRunsForAReplaceWithDependents(TestDatabase db) throws Exception {
    String changelog = DIR + "replace-live.yaml";
    LiquibaseCommands.on(db).updateCount(changelog, 2);
    db.execute("CREATE VIEW lblive.by_hand AS SELECT amount, n FROM lblive.b",
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lblive_reader') THEN"
            + " CREATE ROLE lblive_reader; END IF; END $$",
        "GRANT SELECT ON lblive.b, lblive.by_hand TO lblive_reader");

    String printed = changeSetSection(LiquibaseCommands.on(db).updateSql(changelog), changelog + "::replace-a::mview");
    List<String> ran = new ArrayList<>();
    LiquibaseCommands.on(db).updateRecording(changelog, ran);

    String expected = statementsOf(ran, "'replace-a'").stream().map(sql -> sql + ";\n\n").collect(Collectors.joining());
    assertEquals(expected, printed);
    // It is the whole replace: the dependents were dropped and recreated, the one made by hand too.
    assertTrue(printed.contains("DROP VIEW lblive.by_hand;"), printed);
    assertTrue(printed.contains("GRANT SELECT ON lblive.by_hand TO lblive_reader;"), printed);
    assertFalse(printed.contains("planned offline"), printed);
    assertEquals(List.of("amount", "n"), db.column("SELECT attname::text FROM pg_attribute WHERE attrelid ="
        + " 'lblive.by_hand'::regclass AND attnum > 0 ORDER BY attnum"));
    assertEquals(Boolean.TRUE, db.value("SELECT has_table_privilege('lblive_reader', 'lblive.by_hand', 'SELECT')"));
    assertEquals(100L, db.<Long>value("SELECT sum(doubled) - sum(amount) * 2 + 100 FROM lblive.a"));
  }

  @Test
  void aChangePrintedBeforeThatMayChangeWhatItReadsMakesTheReplacePlanOffline(TestDatabase db) throws Exception {
    String changelog = DIR + "replace-after-sql.yaml";
    LiquibaseCommands.on(db).updateCount(changelog, 2);

    String printed = changeSetSection(LiquibaseCommands.on(db).updateSql(changelog), changelog + "::replace-a::mview");

    assertTrue(printed.startsWith("-- mview: planned offline from the definitions in this changelog: changeset "
        + changelog + "::orders-note::mview is printed, not applied, and changes what mview cannot see; views made"
        + " by hand or by other changes, and the grants, owners and indexes other changes gave views, are not known\n"),
        printed);
    // Offline, it still drops and recreates the dependent the changelog defines.
    assertTrue(printed.contains("DROP MATERIALIZED VIEW lbsql.b;"), printed);
    assertTrue(printed.contains("CREATE MATERIALIZED VIEW lbsql.b AS"), printed);
  }

  @Test
  void aCascadingDropTakesTheReadersByNameAndRollbackGivesThemBackWithTheirGrants(TestDatabase db)
      throws Exception {
    String changelog = DIR + "cascade-drop.yaml";
    LiquibaseCommands.on(db).updateCount(changelog, 1);
    db.execute("CREATE VIEW lbcascade.by_hand AS SELECT doubled FROM lbcascade.b",
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lbcascade_reader') THEN"
            + " CREATE ROLE lbcascade_reader; END IF; END $$",
        "GRANT SELECT ON lbcascade.a, lbcascade.b, lbcascade.by_hand TO lbcascade_reader",
        "COMMENT ON VIEW lbcascade.by_hand IS 'made by hand'");
    List<String> before = acls(db);

    LiquibaseCommands.on(db).update(changelog);
    assertEquals(List.of(), relations(db));

    LiquibaseCommands.on(db).rollbackCount(changelog, 1);
    assertEquals(List.of("a m", "b m", "by_hand v"), relations(db));
    assertEquals(before, acls(db));
    assertEquals("made by hand", db.value("SELECT obj_description('lbcascade.by_hand'::regclass, 'pg_class')"));
    assertEquals("doubled", db.value("SELECT obj_description('lbcascade.b'::regclass, 'pg_class')"));
    assertEquals(Boolean.TRUE, db.value("SELECT indisunique FROM pg_index WHERE indrelid = 'lbcascade.a'::regclass"));
    assertEquals(12L, db.<Long>value("SELECT sum(doubled) FROM lbcascade.by_hand"));
    assertEquals(0L, db.<Long>value("SELECT count(*) FROM databasechangelog_mview WHERE id = 'drop-a'"),
        "the journal row goes with the rollback");
  }

  private static List<String> relations(TestDatabase db) {
    return db.column("SELECT relname || ' ' || relkind::text FROM pg_class WHERE relnamespace = 'lbcascade'::regnamespace"
        + " AND relkind IN ('v', 'm') ORDER BY relname");
  }

  private static List<String> acls(TestDatabase db) {
    return db.column("SELECT relname || ' ' || relacl::text FROM pg_class WHERE relnamespace ="
        + " 'lbcascade'::regnamespace AND relkind IN ('v', 'm') ORDER BY relname");
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
    int end = script.indexOf("INSERT INTO public.databasechangelog ", start);
    return script.substring(start, end);
  }

  /** What update ran for the changeset whose history row holds {@code id}: the statements just before that row. */
  private static List<String> statementsOf(List<String> ran, String id) {
    List<String> section = new ArrayList<>();
    for (String sql : ran) {
      if (sql.toLowerCase(Locale.ROOT).contains("databasechangelog")) {
        if (sql.startsWith("INSERT") && sql.contains(id)) {
          return section;
        }
        section.clear();
      } else {
        section.add(sql);
      }
    }
    throw new AssertionError("no history row for " + id + " among " + ran);
  }
}
