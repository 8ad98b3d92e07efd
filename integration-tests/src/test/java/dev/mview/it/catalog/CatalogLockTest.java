package dev.mview.it.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.MviewException;
import dev.mview.catalog.Catalog;
import dev.mview.catalog.LiveView;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.QualifiedName;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.RefreshPlan;
import dev.mview.refresh.Refresher;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A plain refresh holds an ACCESS EXCLUSIVE lock on its view. Deparsing a view that reads it must
 * wait for that lock; reading the catalog without definitions, and so planning a refresh, must not.
 * {@code lock_timeout} turns "would wait" into an error, so nothing here depends on timing.
 */
@ExtendWith(PostgresExtension.class)
class CatalogLockTest {

  @Test
  void planningARefreshDoesNotWaitBehindAnotherViewsRefresh(TestDatabase db) throws Exception {
    db.execute("CREATE SCHEMA lk", "CREATE TABLE lk.t (id int PRIMARY KEY)",
        "INSERT INTO lk.t SELECT generate_series(1, 10)",
        "CREATE MATERIALIZED VIEW lk.a AS SELECT id FROM lk.t",
        "CREATE UNIQUE INDEX a_partial ON lk.a (id) WHERE id > 5",
        "CREATE MATERIALIZED VIEW lk.b AS SELECT id FROM lk.a",
        "CREATE UNIQUE INDEX b_id ON lk.b (id)");
    try (Connection refreshing = db.connect(); Connection planner = db.connect()) {
      refreshing.setAutoCommit(false);
      try (Statement statement = refreshing.createStatement()) {
        statement.execute("REFRESH MATERIALIZED VIEW lk.a"); // holds ACCESS EXCLUSIVE until rollback
      }
      try (Statement statement = planner.createStatement()) {
        statement.execute("SET lock_timeout = '200ms'");
      }

      MviewException full = assertThrows(MviewException.class, () -> Catalog.read(planner));
      assertEquals("55P03", ((SQLException) full.getCause()).getSQLState(), "deparsing b waits for a's lock");

      Catalog light = Catalog.readWithoutDefinitions(planner);
      LiveView b = light.view(QualifiedName.of("lk", "b")).orElseThrow();
      assertFalse(light.hasDefinitions());
      assertTrue(b.populated());
      assertTrue(b.index("b_id").orElseThrow().allowsConcurrentRefresh());
      assertEquals(List.of(QualifiedName.of("lk", "a")), List.copyOf(light.graph().upstreamOf(b.name())));
      assertEquals(MviewException.Kind.INTERNAL, assertThrows(MviewException.class, b::definition).kind());

      RefreshPlan plan = Refresher.plan(planner, RefreshOptions.builder().views(b.name()).build());
      assertEquals(List.of(b.name()), plan.views());
      refreshing.rollback();
    }
  }
}
