package dev.mview.it.liquibase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.QualifiedName;
import dev.mview.refresh.Refresher;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Single cases beside the scenario: bad changelogs and refused operations (each fails with a clear
 * message and leaves nothing behind), rollbacks of drops and replaces, an unchanged replacement. */
@ExtendWith(PostgresExtension.class)
class LiquibaseCasesTest {
  private static final String DIR = "dev/mview/it/liquibase/cases/";

  @Test
  void misspelledAttributeFailsXsdValidationBeforeAnythingRuns(TestDatabase db) {
    Exception e = assertThrows(Exception.class, () -> LiquibaseCommands.on(db).update(DIR + "misspelled.xml"));

    String message = messages(e);
    assertTrue(message.contains("cvc-complex-type.3.2.2: Attribute 'veiwName' is not allowed to appear in element"
        + " 'mview:createMaterializedView'"), message);
    assertEquals(0L, db.<Long>value("SELECT count(*) FROM pg_class WHERE relname = 'misspelled_marker'"));
  }

  @Test
  void validationNamesEachBadChangesetAndWhatToDo(TestDatabase db) {
    Exception e = assertThrows(Exception.class, () -> LiquibaseCommands.on(db).validate(DIR + "invalid.yaml"));

    String message = messages(e);
    for (String expected : List.of(
        "createMaterializedView needs viewName: the name of the materialized view to create, "
            + DIR + "invalid.yaml::no-view-name::mview",
        "createMaterializedView daily_totals has both selectQuery and path: keep one of them, " + DIR + "invalid.yaml::query-and-path::mview",
        "createMaterializedView weekly_totals needs its query: give selectQuery (the element text in XML) or path (an SQL file), "
            + DIR + "invalid.yaml::no-query::mview",
        "refreshMaterializedViews has concurrently='sometimes': expected auto, true or false, "
            + DIR + "invalid.yaml::concurrently-sometimes::mview",
        "refreshMaterializedViews cannot refresh concurrently=\"true\" with withData=\"false\": mode CONCURRENTLY cannot"
            + " go with withData(false): PostgreSQL cannot empty a view without blocking its readers; use mode AUTO or"
            + " PLAIN, " + DIR + "invalid.yaml::concurrently-without-data::mview",
        "dropMaterializedView needs viewName: the name of the materialized view to drop, "
            + DIR + "invalid.yaml::drop-no-view-name::mview")) {
      assertTrue(message.contains(expected), "expected: " + expected + "\nin: " + message);
    }
  }

  @Test
  void aPropertyNoChangeTakesFailsValidationInYamlAndJsonNamingItAndWhatTheChangeTakes(TestDatabase db) {
    Exception yaml = assertThrows(Exception.class, () -> LiquibaseCommands.on(db).update(DIR + "unknown-properties.yaml"));

    String message = messages(yaml);
    assertTrue(message.contains("createMaterializedView has property 'replaceIfExist', which it does not take: check the"
        + " spelling; its properties are catalogName, comment, encoding, online, path, relativeToChangelogFile, replaceIfExists,"
        + " schemaName, selectQuery, tablespace, uniqueKey, viewName, withData, " + DIR
        + "unknown-properties.yaml::typo-replace::mview"), message);
    assertTrue(message.contains("refreshMaterializedViews has property 'online', which it does not take: check the"
        + " spelling; its properties are concurrently, includeDownstream, includeUpstream, schemaName, viewNames, withData, "
        + DIR + "unknown-properties.yaml::invented-online::mview"), message);
    assertEquals(0L, db.<Long>value("SELECT count(*) FROM pg_class WHERE relname = 'typo_marker'"), "nothing ran");

    Exception json = assertThrows(Exception.class, () -> LiquibaseCommands.on(db).validate(DIR + "unknown-properties.json"));
    assertTrue(messages(json).contains("dropMaterializedView has property 'cascades', which it does not take: check the"
        + " spelling; its properties are cascade, catalogName, ifExists, schemaName, viewName, "
        + DIR + "unknown-properties.json::typo-cascade::mview"), messages(json));
  }

  @Test
  void theCreatesOfOneChangesetArePlannedTogetherInDependencyOrder(TestDatabase db) throws Exception {
    LiquibaseCommands.on(db).update(DIR + "one-changeset.yaml");

    assertEquals(3L, db.<Long>value("SELECT total FROM lbgroup.total"));
    assertEquals(List.of("numbers", "total"), db.column("SELECT matviewname::text FROM pg_matviews"
        + " WHERE schemaname = 'lbgroup' ORDER BY 1"));
  }

  @Test
  void createsOfOneChangesetThatReadEachOtherFailWithTheCycle(TestDatabase db) {
    Exception e = assertThrows(Exception.class, () -> LiquibaseCommands.on(db).update(DIR + "cycle.yaml"));

    String message = messages(e);
    assertTrue(message.contains("changeset " + DIR + "cycle.yaml::each-other::mview: views depend on each other in a"
        + " cycle: lbcycle.a -> lbcycle.b -> lbcycle.a (each reads the next); remove one of these references"), message);
    assertEquals(0L, db.<Long>value("SELECT count(*) FROM pg_matviews WHERE schemaname = 'lbcycle'"));
  }

  @Test
  void aViewInASchemaThatDoesNotExistSaysHowToCreateIt(TestDatabase db) {
    Exception e = assertThrows(Exception.class, () -> LiquibaseCommands.on(db).update(DIR + "missing-schema.yaml"));

    String message = messages(e);
    assertTrue(message.contains("changeset " + DIR + "missing-schema.yaml::no-schema::mview: schema lbnowhere of"
        + " materialized view lbnowhere.v does not exist: create it first (CREATE SCHEMA lbnowhere) in an earlier"
        + " migration or changeset. Nothing was changed. In a changelog: create the schema in an earlier changeset, or"
        + " with an sql change before the first mview change of this changeset"), message);
  }

  @Test
  void aNewViewWhoseQueryDoesNotRunFailsAtPlanningNamingItAndTheChangeset(TestDatabase db) {
    Exception e = assertThrows(Exception.class, () -> LiquibaseCommands.on(db).update(DIR + "bad-query.yaml"));

    String message = messages(e);
    assertTrue(message.contains("changeset " + DIR + "bad-query.yaml::views::mview: the query of materialized view"
        + " lbbad.broken does not run: ERROR: column \"no_such_column\" does not exist"), message);
    assertTrue(message.contains("Nothing was changed. Fix the definition of lbbad.broken and run again."), message);
    assertEquals(0L, db.<Long>value("SELECT count(*) FROM pg_matviews WHERE schemaname = 'lbbad'"), "not even the good one");
    assertEquals(List.of("table"), db.column("SELECT id FROM databasechangelog WHERE filename LIKE '%bad-query.yaml'"));
  }

  @Test
  void anythingButPostgresqlIsRefused() {
    Exception e = assertThrows(Exception.class, () -> LiquibaseCommands.offlineUpdateSql(DIR + "valid.yaml", "mysql"));

    String message = messages(e);
    assertTrue(message.contains("createMaterializedView works on PostgreSQL only, not on mysql: run it against"
        + " PostgreSQL or limit the changeset with dbms=\"postgresql\", " + DIR + "valid.yaml::one::mview"), message);
  }

  @Test
  void droppingAViewOthersReadFailsNamingThemAndChangesNothing(TestDatabase db) {
    Exception e = assertThrows(Exception.class, () -> LiquibaseCommands.on(db).update(DIR + "drop-dependents.yaml"));

    String message = messages(e);
    assertTrue(message.contains(DIR + "drop-dependents.yaml::drop-a::mview: cannot drop lbdrop.a: lbdrop.b reads it."
        + " Drop those too (list them to drop) or allow cascading drops. In a changelog: drop those views first, or set"
        + " cascade=\"true\" to drop them too, each by name (rollback recreates them with their indexes, comments and"
        + " grants)"), message);
    assertEquals(List.of("a", "b"), db.column("SELECT matviewname::text FROM pg_matviews WHERE schemaname = 'lbdrop' ORDER BY 1"));
    assertEquals(List.of("views"), db.column("SELECT id FROM databasechangelog WHERE filename LIKE '%drop-dependents.yaml'"));
  }

  @Test
  void aRollbackBlockMayDropAReaderAndThenTheViewItReads(TestDatabase db) throws Exception {
    LiquibaseCommands.on(db).update(DIR + "rollback-two-drops.xml");
    assertEquals(List.of("a", "b"), db.column("SELECT matviewname::text FROM pg_matviews WHERE schemaname = 'lbtwodrops' ORDER BY 1"));

    LiquibaseCommands.on(db).rollbackCount(DIR + "rollback-two-drops.xml", 1);

    assertEquals(List.of(), db.column("SELECT matviewname::text FROM pg_matviews WHERE schemaname = 'lbtwodrops'"));
  }

  @Test
  void aRefreshWaitsWhileAnotherSessionHoldsTheViewsRefreshLock(TestDatabase db) throws Exception {
    LiquibaseCommands.on(db).update(DIR + "refresh-downstream.yaml");
    QualifiedName view = QualifiedName.of("lbdown", "a");
    try (Connection runner = db.connect()) {
      try (var statement = runner.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
        statement.setInt(1, Refresher.LOCK_CLASS);
        statement.setInt(2, Refresher.lockKey(view)); // what Refresher holds while it refreshes the view
        statement.execute();
      }
      Exception e = assertThrows(Exception.class,
          () -> LiquibaseCommands.withLockTimeout(db, 300).update(DIR + "refresh-downstream.yaml"));
      assertTrue(messages(e).contains("lock timeout"), messages(e));
    }
    LiquibaseCommands.on(db).update(DIR + "refresh-downstream.yaml"); // the lock is gone with the session
  }

  @Test
  void rollingBackADropRecreatesTheViewFromTheChangesetThatCreatedIt(TestDatabase db) throws Exception {
    LiquibaseCommands.on(db).update(DIR + "drop-and-restore.xml");
    assertEquals(0L, db.<Long>value("SELECT count(*) FROM pg_matviews WHERE schemaname = 'lbrestore'"));

    LiquibaseCommands.on(db).rollbackCount(DIR + "drop-and-restore.xml", 1);

    assertEquals(5L, db.<Long>value("SELECT count(*) FROM lbrestore.\"Numbers\""));
    assertEquals("it's back", db.value("SELECT obj_description('lbrestore.\"Numbers\"'::regclass, 'pg_class')"));
    assertEquals(List.of("CREATE UNIQUE INDEX \"Numbers_n_key\" ON lbrestore.\"Numbers\" USING btree (n)"),
        db.column("SELECT indexdef FROM pg_indexes WHERE schemaname = 'lbrestore'"));
  }

  @Test
  void rollingBackAReplaceWithoutAnEarlierDefinitionAsksForAnExplicitRollback(TestDatabase db) throws Exception {
    LiquibaseCommands.on(db).update(DIR + "replace-without-history.yaml");

    Exception e = assertThrows(Exception.class,
        () -> LiquibaseCommands.on(db).rollbackCount(DIR + "replace-without-history.yaml", 1));

    String message = messages(e);
    assertTrue(message.contains("changeset " + DIR + "replace-without-history.yaml::replace-first::mview:"
        + " createMaterializedView public.lonely with replaceIfExists cannot be rolled back automatically: no earlier"
        + " createMaterializedView of that view in this changelog holds the previous definition. Add a <rollback>"
        + " to the changeset"), message);
    assertEquals(1L, db.<Long>value("SELECT count(*) FROM pg_matviews WHERE matviewname = 'lonely'"));
  }

  @Test
  void concurrentlyTrueOnAViewWithoutAUniqueKeyFailsNamingViewAndChangeset(TestDatabase db) {
    Exception e = assertThrows(Exception.class, () -> LiquibaseCommands.on(db).update(DIR + "refresh-strict.yaml"));

    String message = messages(e);
    assertTrue(message.contains(DIR + "refresh-strict.yaml::refresh-concurrently::mview: these"
        + " materialized views cannot be refreshed without blocking readers: lbstrict.no_key (no usable unique index:"
        + " it has no unique index)"), message);
    assertTrue(message.contains("With concurrently=\"true\" the refresh must not block readers;"
        + " concurrently=\"auto\" falls back to a plain refresh instead"), message);
    assertEquals(List.of("view"), db.column("SELECT id FROM databasechangelog WHERE filename LIKE '%refresh-strict.yaml'"));
  }

  @Test
  void replacingWithAnUnchangedDefinitionRebuildsNothing(TestDatabase db) throws Exception {
    LiquibaseCommands.on(db).updateCount(DIR + "replace-unchanged.yaml", 2);
    long oid = db.<Long>value("SELECT 'lbsame.totals'::regclass::oid::bigint");

    LiquibaseCommands.on(db).update(DIR + "replace-unchanged.yaml");

    assertEquals(oid, db.<Long>value("SELECT 'lbsame.totals'::regclass::oid::bigint"));
    assertEquals(List.of("totals_doubled_idx", "totals_n_key"),
        db.column("SELECT indexname::text FROM pg_indexes WHERE schemaname = 'lbsame' ORDER BY 1"));
    assertEquals(List.of("extra-index", "same-again", "view"),
        db.column("SELECT id FROM databasechangelog WHERE filename LIKE '%replace-unchanged.yaml' ORDER BY 1"));
  }

  @Test
  void includeDownstreamRefreshesWhatReadsTheNamedViewAndNothingElse(TestDatabase db) throws Exception {
    LiquibaseCommands.on(db).update(DIR + "refresh-downstream.yaml");
    db.execute("INSERT INTO lbdown.t VALUES (2)");

    LiquibaseCommands.on(db).update(DIR + "refresh-downstream.yaml");

    assertEquals(30L, db.<Long>value("SELECT total FROM lbdown.b"));
    assertEquals(1L, db.<Long>value("SELECT rows FROM lbdown.c"), "c reads only the table: not refreshed");
  }

  /** The messages of {@code e} and its causes, one per line: Liquibase wraps its errors several times. */
  static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }
}
