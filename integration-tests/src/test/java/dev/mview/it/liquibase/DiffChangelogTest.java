package dev.mview.it.liquibase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.SiblingDatabase;
import dev.mview.it.support.TestDatabase;
import dev.mview.liquibase.CreateMaterializedViewChange;
import dev.mview.liquibase.DropMaterializedViewChange;
import java.nio.file.Path;
import java.util.List;
import liquibase.change.Change;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code diff} and {@code diff-changelog} between two databases: a materialized view whose query
 * differs becomes one {@code createMaterializedView replaceIfExists="true"}, which applied makes
 * the databases equal (the views that read it rebuilt with their indexes); a missing one becomes a
 * create, an unexpected one a drop.
 */
@ExtendWith(PostgresExtension.class)
class DiffChangelogTest {
  private static final String REFERENCE = "amount < 1000";
  private static final String OTHER = "amount < 100";

  @Test
  void oneChangedQueryIsOneReplaceThatMakesTheDatabasesEqual(TestDatabase db, @TempDir Path dir) throws Exception {
    try (SiblingDatabase reference = SiblingDatabase.beside(db, "reference");
        SiblingDatabase target = SiblingDatabase.beside(db, "target")) {
      ViewsAroundTables.create(reference.db(), REFERENCE);
      ViewsAroundTables.create(target.db(), OTHER);
      long weeklyBefore = oid(target.db(), "weekly");
      assertEquals(List.of("10"), target.db().column("SELECT total::text FROM weekly ORDER BY week"));

      String diff = ViewsAroundTables.likePg16(db, DiffCommands.diff(reference.db(), target.db()));
      assertTrue(diff.contains("Missing Materialized View(s): NONE"), diff);
      assertTrue(diff.contains("Unexpected Materialized View(s): NONE"), diff);
      assertTrue(diff.contains("Changed Materialized View(s): \n     daily\n          definition changed from '"), diff);
      assertTrue(diff.contains("WHERE (amount < (1000)::numeric)\n  GROUP BY ordered_on' to '"), diff);

      Path changelog = dir.resolve("diff.xml");
      DiffCommands.diffChangelog(reference.db(), target.db(), changelog);
      List<List<Change>> changes = DiffCommands.changes(changelog);
      assertEquals(1, changes.size(), changes.toString());
      assertEquals(1, changes.get(0).size(), changes.toString());
      CreateMaterializedViewChange replace = assertInstanceOf(CreateMaterializedViewChange.class, changes.get(0).get(0));
      assertEquals("daily", replace.getViewName());
      assertEquals(Boolean.TRUE, replace.getReplaceIfExists());
      assertEquals("day", replace.getUniqueKey());
      assertEquals("Paid sales per day", replace.getComment());

      DiffCommands.update(target.db(), changelog);

      assertEquals(ViewsAroundTables.catalog(reference.db()), ViewsAroundTables.catalog(target.db()));
      assertNotEquals(weeklyBefore, oid(target.db(), "weekly")); // rebuilt, with its index
      assertEquals(List.of("210", "150"), target.db().column("SELECT total::text FROM weekly ORDER BY week"));
      String after = DiffCommands.diff(reference.db(), target.db());
      assertTrue(after.contains("Changed Materialized View(s): NONE"), after);
    }
  }

  @Test
  void aMissingViewIsCreatedAndAnUnexpectedOneDropped(TestDatabase db, @TempDir Path dir) throws Exception {
    try (SiblingDatabase reference = SiblingDatabase.beside(db, "reference2");
        SiblingDatabase target = SiblingDatabase.beside(db, "target2")) {
      ViewsAroundTables.create(reference.db(), REFERENCE);
      reference.db().execute("CREATE MATERIALIZED VIEW \"Monthly É\" AS SELECT date_trunc('month', week) AS month,"
          + " sum(total) AS total FROM weekly GROUP BY 1", "CREATE UNIQUE INDEX \"Monthly É_month_key\" ON \"Monthly É\" (month)");
      ViewsAroundTables.create(target.db(), REFERENCE);
      target.db().execute("CREATE MATERIALIZED VIEW stale AS SELECT * FROM weekly",
          "CREATE MATERIALIZED VIEW staler AS SELECT * FROM stale");

      String diff = DiffCommands.diff(reference.db(), target.db());
      assertTrue(diff.contains("Missing Materialized View(s): \n     Monthly É\n"), diff);
      assertTrue(diff.contains("Unexpected Materialized View(s): \n     stale\n     staler\n"), diff);

      Path changelog = dir.resolve("diff.yaml");
      DiffCommands.diffChangelog(reference.db(), target.db(), changelog);
      List<Change> changes = DiffCommands.changes(changelog).stream().flatMap(List::stream).toList();
      assertEquals(3, changes.size(), changes.toString());
      CreateMaterializedViewChange create = assertInstanceOf(CreateMaterializedViewChange.class, changes.get(0));
      assertEquals("Monthly É", create.getViewName());
      assertEquals("month", create.getUniqueKey());
      assertFalse(Boolean.TRUE.equals(create.getReplaceIfExists()));
      // Readers first.
      assertEquals("staler", assertInstanceOf(DropMaterializedViewChange.class, changes.get(1)).getViewName());
      assertEquals("stale", assertInstanceOf(DropMaterializedViewChange.class, changes.get(2)).getViewName());

      DiffCommands.update(target.db(), changelog);

      assertEquals(ViewsAroundTables.catalog(reference.db()), ViewsAroundTables.catalog(target.db()));
    }
  }

  private static long oid(TestDatabase db, String relation) {
    return db.<Number>value("SELECT oid::bigint FROM pg_class WHERE relname = ?", relation).longValue();
  }
}
