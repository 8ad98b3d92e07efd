package dev.mview.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.MviewException;
import dev.mview.model.IndexDefinition;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

/** What Flyway learns from a view migration before it runs: version, description, checksum. */
class MaterializedViewMigrationTest {

  static class V7__Sales_views extends MaterializedViewMigration {
    @Override
    protected void declare(Views views) {
      views.materialized("analytics.weekly", "SELECT date_trunc('week', day) AS week FROM analytics.daily GROUP BY 1");
      views.materialized("analytics.daily", "SELECT ordered_on AS day FROM shop.orders GROUP BY 1")
          .index(IndexDefinition.unique("day"));
      views.drop("analytics.old_report");
    }
  }

  /** The same views declared in the other order. */
  static class V7__Reordered extends MaterializedViewMigration {
    @Override
    protected void declare(Views views) {
      views.drop("analytics.old_report");
      views.materialized("analytics.daily", "SELECT ordered_on AS day FROM shop.orders GROUP BY 1")
          .index(IndexDefinition.unique("day"));
      views.materialized("analytics.weekly", "SELECT date_trunc('week', day) AS week FROM analytics.daily GROUP BY 1");
    }
  }

  static class V8__Without_drop extends MaterializedViewMigration {
    @Override
    protected void declare(Views views) {
      views.materialized("analytics.weekly", "SELECT date_trunc('week', day) AS week FROM analytics.daily GROUP BY 1");
      views.materialized("analytics.daily", "SELECT ordered_on AS day FROM shop.orders GROUP BY 1")
          .index(IndexDefinition.unique("day"));
    }
  }

  static class V9__Both extends MaterializedViewMigration {
    @Override
    protected void declare(Views views) {
      views.materialized("analytics.daily", "SELECT 1 AS day");
      views.drop("analytics.daily");
    }
  }

  static class V10__Missing_file extends MaterializedViewMigration {
    @Override
    protected void declare(Views views) {
      views.materialized("analytics.daily", sql("db/views/no_such_file.sql"));
    }
  }

  static class V11__From_file extends MaterializedViewMigration {
    @Override
    protected void declare(Views views) {
      views.materialized("analytics.daily", sql("db/views/daily.sql"));
    }
  }

  @Test
  void versionFromTheClassNameAndADescriptionThatSaysWhatItDoesInDependencyOrder() {
    V7__Sales_views migration = new V7__Sales_views();

    assertEquals("7", migration.getVersion().getVersion());
    assertEquals("Sales views: create or replace analytics.daily, analytics.weekly; drop analytics.old_report",
        migration.getDescription());
  }

  @Test
  void checksumIsStableAndFollowsTheDeclarationNotItsOrder() {
    assertEquals(new V7__Sales_views().getChecksum(), new V7__Sales_views().getChecksum());
    assertEquals(new V7__Sales_views().getChecksum(), new V7__Reordered().getChecksum());
    assertNotEquals(new V7__Sales_views().getChecksum(), new V8__Without_drop().getChecksum());
  }

  @Test
  void declaringAndDroppingTheSameViewIsRefusedNamingTheMigration() {
    FlywayException error = assertThrows(FlywayException.class, () -> new V9__Both().getDescription());

    assertEquals("V9__Both declares views that cannot be used: V9__Both both declares and drops view"
        + " analytics.daily: keep one of the two", error.getMessage());
    assertInstanceOf(MviewException.class, error.getCause());
  }

  @Test
  void aMissingSqlFileIsNamedWithWhereToPutIt() {
    FlywayException error = assertThrows(FlywayException.class, () -> new V10__Missing_file().getChecksum());

    assertEquals("V10__Missing_file declares views that cannot be used: V10__Missing_file reads view SQL from"
        + " classpath resource 'db/views/no_such_file.sql', which is not on the classpath: put the file under"
        + " src/main/resources/db/views/no_such_file.sql or fix the path", error.getMessage());
  }

  @Test
  void aQueryCanComeFromAClasspathFileAndTheMigrationRunsInFlywaysTransaction() {
    assertEquals("From file: create or replace analytics.daily", new V11__From_file().getDescription());
    assertTrue(new V11__From_file().canExecuteInTransaction());
  }
}
