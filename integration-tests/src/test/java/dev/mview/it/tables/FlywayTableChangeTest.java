package dev.mview.it.tables;

import static dev.mview.it.tables.ViewsOverOrders.WIDEN;
import static dev.mview.it.tables.ViewsOverOrders.columnType;
import static dev.mview.it.tables.ViewsOverOrders.oid;
import static dev.mview.it.tables.ViewsOverOrders.snapshot;
import static dev.mview.it.tables.ViewsOverOrders.widened;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.MviewException;
import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.MviewRollback;
import dev.mview.flyway.UndoScripts;
import dev.mview.flyway.Views;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.it.tables.migrations.V2__Drop_note_and_redeclare;
import dev.mview.it.tables.migrations.V2__Widen_amount;
import java.nio.file.Path;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.migration.JavaMigration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Table changes in Flyway view migrations, on {@link ViewsOverOrders} (the state of version 1,
 * baselined), with the free edition's rollback.
 */
@ExtendWith(PostgresExtension.class)
class FlywayTableChangeTest {
  /** Widens t.orders.amount with no way back. */
  public static class V2__Widen_for_good extends MaterializedViewMigration {
    @Override
    protected void declare(Views views) {
      views.alterTable(WIDEN);
    }
  }

  /** Drops t.orders.note, which the hand-made view t.notes reads. */
  public static class V2__Drop_note extends MaterializedViewMigration {
    @Override
    protected void declare(Views views) {
      views.alterTable("ALTER TABLE t.orders DROP COLUMN note").reverse("ALTER TABLE t.orders ADD COLUMN note text");
    }
  }

  @BeforeEach
  void schema(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS public.flyway_schema_history, public.flyway_schema_history_mview");
    ViewsOverOrders.create(db);
  }

  private static Flyway flyway(TestDatabase db, JavaMigration migration) {
    return Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).defaultSchema("public")
        .baselineOnMigrate(true).baselineVersion("1").locations("classpath:dev/mview/it/tables/none")
        .javaMigrations(migration).load();
  }

  @Test
  void aViewMigrationWidensTheColumnAndRollbackNarrowsItWithEveryViewKept(TestDatabase db) {
    List<String> before = snapshot(db);
    long notes = oid(db, "t.notes");
    long report = oid(db, "t.report");
    Flyway flyway = flyway(db, new V2__Widen_amount());

    flyway.migrate();

    assertEquals(widened(before), snapshot(db));
    assertEquals(notes, oid(db, "t.notes"), "t.notes reads no amount: untouched");
    assertNotEquals(report, oid(db, "t.report"));
    assertEquals("Widen amount: change tables (1 statement)", db.value("SELECT description FROM flyway_schema_history"
        + " WHERE version = '2'"));

    List<MviewRollback.Undone> undone = MviewRollback.rollbackTo(flyway, "1");

    assertEquals(List.of("2"), undone.stream().map(MviewRollback.Undone::version).toList());
    assertEquals(before, snapshot(db), "the old type, every view as it was");
    assertEquals("numeric(10,2)", columnType(db, "t.big_orders", "amount"));
    assertEquals(notes, oid(db, "t.notes"));
  }

  @Test
  void withoutReverseStatementsRollbackAndUndoScriptsRefuseNamingTheMigration(TestDatabase db, @TempDir Path folder) {
    Flyway flyway = flyway(db, new V2__Widen_for_good());
    flyway.migrate();
    List<String> widened = snapshot(db);

    MviewException e = assertThrows(MviewException.class, () -> MviewRollback.rollbackTo(flyway, "1"));
    assertEquals(MviewException.Kind.IRREVERSIBLE, e.kind());
    assertEquals("cannot roll back to version 1: undoing migration 2 (Widen for good: change tables (1 statement))"
        + " failed: it cannot be undone: its table change (" + WIDEN + ") was given no reverse statements; give them"
        + " (the DDL that undoes the change) to make it reversible, or undo it by other means\nThe rollback was"
        + " cancelled; nothing was changed.", e.getMessage());
    MviewException undo = assertThrows(MviewException.class, () -> UndoScripts.write(flyway, folder));
    assertEquals(MviewException.Kind.IRREVERSIBLE, undo.kind());
    assertEquals(widened, snapshot(db));
  }

  @Test
  void droppingAColumnAViewReadsFailsTheMigrationWithNothingChanged(TestDatabase db) {
    List<String> before = snapshot(db);

    FlywayException e = assertThrows(FlywayException.class, () -> flyway(db, new V2__Drop_note()).migrate());

    assertTrue(messages(e).contains("V2__Drop_note failed: cannot drop a column that views read: t.notes reads"
        + " t.orders.note. Their definitions would no longer work once it is gone. Redeclare t.notes without it in"
        + " the same release (or drop that view there). Nothing was changed."), messages(e));
    assertEquals(before, snapshot(db));
    assertEquals(0L, db.<Number>value("SELECT count(*) FROM flyway_schema_history WHERE version = '2'").longValue());
  }

  private static String messages(Throwable error) {
    StringBuilder all = new StringBuilder();
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      all.append(cause.getMessage()).append('\n');
    }
    return all.toString();
  }

  @Test
  void theSameMigrationRedeclaringTheReaderDropsTheColumnAndRollsBack(TestDatabase db) {
    Flyway flyway = flyway(db, new V2__Drop_note_and_redeclare());

    flyway.migrate();

    assertEquals(List.of("id", "customer"), db.column("SELECT attname::text FROM pg_attribute WHERE attrelid ="
        + " 't.notes'::regclass AND attnum > 0 ORDER BY attnum"));
    assertEquals(0L, db.<Number>value("SELECT count(*) FROM pg_attribute WHERE attrelid = 't.orders'::regclass"
        + " AND attname = 'note' AND NOT attisdropped").longValue());

    MviewRollback.rollbackTo(flyway, "1");

    assertEquals(List.of("id", "note"), db.column("SELECT attname::text FROM pg_attribute WHERE attrelid ="
        + " 't.notes'::regclass AND attnum > 0 ORDER BY attnum"));
    assertEquals("text", columnType(db, "t.orders", "note"));
  }
}
