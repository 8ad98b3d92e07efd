package dev.mview.it.liquibase;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.SiblingDatabase;
import dev.mview.it.support.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code drop-all} drops materialized views too, readers first, also when plain and materialized
 * views read each other and when a view reads nothing at all (Liquibase alone leaves that one
 * behind). Liquibase visits a view with quotes in its name last: without mview's ordering it drops
 * the plain view that view reads first, which fails.
 */
@ExtendWith(PostgresExtension.class)
class DropAllTest {
  private static final String RELATIONS = "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
      + " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm') ORDER BY 1";

  @Test
  void dropAllLeavesNoMaterializedViewAlsoWhenViewsReadEachOther(TestDatabase db) throws Exception {
    try (SiblingDatabase full = SiblingDatabase.beside(db, "full")) {
      ViewsAroundTables.create(full.db(), "amount < 1000");
      // A changelog's history and a drop journal: drop-all takes those too, and keeps no new journal.
      LiquibaseCommands.on(full.db()).update("dev/mview/it/liquibase/diff/drop-then-keep.yaml");
      assertEquals(List.of("daily", "databasechangelog", "databasechangelog_mview", "databasechangeloglock"),
          full.db().column(RELATIONS).stream().filter(name -> ((String) name).startsWith("da")).toList());

      DiffCommands.dropAll(full.db());

      assertEquals(List.of(), ViewsAroundTables.materializedViews(full.db()));
      assertEquals(List.of(), full.db().column(RELATIONS));
    }
  }

  @Test
  void dropAllTakesAMaterializedViewThatReadsNothing(TestDatabase db) throws Exception {
    try (SiblingDatabase lonely = SiblingDatabase.beside(db, "lonely")) {
      lonely.db().execute("CREATE MATERIALIZED VIEW \"Lonely É\" AS SELECT 1 AS one");

      DiffCommands.dropAll(lonely.db());

      assertEquals(List.of(), lonely.db().column(RELATIONS));
    }
  }
}
