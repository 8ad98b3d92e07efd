package dev.mview.it.liquibase;

import static dev.mview.it.tables.ViewsOverOrders.columnType;
import static dev.mview.it.tables.ViewsOverOrders.oid;
import static dev.mview.it.tables.ViewsOverOrders.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.it.tables.ViewsOverOrders;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code keepViews} around Liquibase's own column changes, on the views of {@link ViewsOverOrders}:
 * widening a column (with an explicit rollback), renaming one and adding one (automatic
 * rollback), in XML, YAML and JSON; dropping a column a view reads.
 */
@ExtendWith(PostgresExtension.class)
class LiquibaseTableChangeTest {
  private static final String FOLDER = "dev/mview/it/liquibase/tables/";

  @BeforeEach
  void schema(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS public.databasechangelog, public.databasechangeloglock");
    ViewsOverOrders.create(db);
  }

  @ParameterizedTest
  @ValueSource(strings = {"xml", "yaml", "json"})
  void columnChangesRunWithTheirViewsKeptAndRollBack(String format, TestDatabase db) throws Exception {
    String changelog = FOLDER + "tables." + format;
    LiquibaseCommands liquibase = LiquibaseCommands.on(db);
    List<String> before = snapshot(db);
    long notes = oid(db, "t.notes");
    long report = oid(db, "t.report");

    String printed = liquibase.updateSql(changelog);

    assertTrue(printed.contains("-- drop t.report: depends on t.big_orders, t.totals, which changed; recreated below\n"
        + "DROP MATERIALIZED VIEW t.report;"), printed);
    assertTrue(printed.contains("-- change table t.orders: views rebuilt around it: t.big_count, t.big_orders,"
        + " t.report, t.totals\nALTER TABLE t.orders ALTER COLUMN amount TYPE numeric(12, 2)"), printed);
    assertEquals(before, snapshot(db), "update-sql changed nothing");

    liquibase.updateCount(changelog, 1);

    assertEquals(ViewsOverOrders.widened(before), snapshot(db), "everything but the type is as it was");
    assertEquals(notes, oid(db, "t.notes"), "t.notes reads no amount: untouched");

    liquibase.update(changelog);

    assertEquals("numeric(12,2)", columnType(db, "t.big_orders", "amount"));
    assertEquals("numeric(12,2)", columnType(db, "t.orders", "amount"));
    assertEquals(notes, oid(db, "t.notes"), "the rename and the new column rebuilt nothing");
    assertNotEquals(report, oid(db, "t.report"));
    assertTrue(db.<String>value("SELECT pg_get_viewdef('t.notes'::regclass)").contains("remark"));

    liquibase.rollbackCount(changelog, 2);

    assertEquals(before, snapshot(db), "the old type and name, every view kept");
    assertEquals(notes, oid(db, "t.notes"));
  }

  @Test
  void sqlChangesRunWithEveryViewOfTheNamedTableRebuilt(TestDatabase db) throws Exception {
    List<String> before = snapshot(db);
    long customers = oid(db, "t.customers");

    LiquibaseCommands.on(db).update(FOLDER + "sql-change.yaml");

    assertEquals(ViewsOverOrders.widened(before).stream().map(line -> line.replace("note type=text",
        "note type=character varying(100)")).toList(), snapshot(db));
    assertNotEquals(customers, oid(db, "t.customers"), "relations names t.orders: all its readers were rebuilt");
  }

  @Test
  void droppingAColumnAViewReadsFailsNamingThemWithNothingChanged(TestDatabase db) throws Exception {
    List<String> before = snapshot(db);

    Exception e = assertThrows(Exception.class, () -> LiquibaseCommands.on(db).update(FOLDER + "drop-note.xml"));

    assertTrue(messages(e).contains("cannot drop a column that views read: t.notes reads t.orders.note. Their"
        + " definitions would no longer work once it is gone. Redeclare t.notes without it in the same release (or"
        + " drop that view there). Nothing was changed."), messages(e));
    assertEquals(before, snapshot(db));
  }

  @Test
  void theSameChangesetRedeclaringTheReaderDropsTheColumn(TestDatabase db) throws Exception {
    long totals = oid(db, "t.totals");

    LiquibaseCommands.on(db).update(FOLDER + "drop-note-redeclared.xml");

    assertEquals("m", db.<Object>value("SELECT relkind::text FROM pg_class WHERE oid = 't.notes'::regclass"));
    assertEquals(List.of("id", "customer"), db.column("SELECT attname::text FROM pg_attribute WHERE attrelid ="
        + " 't.notes'::regclass AND attnum > 0 ORDER BY attnum"));
    assertEquals(0L, db.<Number>value("SELECT count(*) FROM pg_attribute WHERE attrelid = 't.orders'::regclass"
        + " AND attname = 'note' AND NOT attisdropped").longValue());
    assertEquals(totals, oid(db, "t.totals"));
  }

  private static String messages(Throwable error) {
    StringBuilder all = new StringBuilder();
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      all.append(cause.getMessage()).append('\n');
    }
    return all.toString();
  }
}
