package dev.mview.it.liquibase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code refreshMaterializedViews} records each view it refreshes beside Liquibase's history, in
 * the changeset's transaction: printed by {@code update-sql} (which writes nothing), committed by
 * {@code update}, gone with a changeset that fails.
 */
@ExtendWith(PostgresExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiquibaseRefreshHistoryTest {
  private static final String CHANGELOG = "dev/mview/it/liquibase/history/refresh.yaml";

  private static List<String> history(TestDatabase db) {
    return db.column("SELECT view_schema || '.' || view_name || ' ' || strategy || ' ' || outcome || ' '"
        + " || row_count || ' by ' || ran_by || ' ' || (started_at <= finished_at) FROM public.mview_refresh_history"
        + " ORDER BY id");
  }

  @Test
  @Order(1)
  void updateSqlPrintsTheRecordAndWritesNothing(TestDatabase db) throws Exception {
    LiquibaseCommands.on(db).updateCount(CHANGELOG, 1);

    String sql = LiquibaseCommands.on(db).updateSql(CHANGELOG);

    assertTrue(sql.contains("CREATE TABLE IF NOT EXISTS public.mview_refresh_history"), sql);
    assertTrue(sql.contains("INSERT INTO public.mview_refresh_history"), sql);
    assertEquals(0L, db.<Long>value("SELECT count(*) FROM pg_class WHERE relname = 'mview_refresh_history'"));
  }

  @Test
  @Order(2)
  void updateRecordsExactlyTheViewsRefreshed(TestDatabase db) throws Exception {
    LiquibaseCommands.on(db).update(CHANGELOG);

    assertEquals(List.of("lh.keyed CONCURRENTLY REFRESHED 4 by liquibase true",
        "lh.unkeyed PLAIN REFRESHED 4 by liquibase true"), history(db));
  }

  @Test
  @Order(3)
  void aChangesetThatFailsAfterItsRefreshLeavesNoRow(TestDatabase db) {
    assertThrows(Exception.class, () -> LiquibaseCommands.on(db).update("dev/mview/it/liquibase/history/failing.yaml"));

    assertEquals(2, history(db).size(), "the refresh of lh.other went with its changeset");
  }
}
