package dev.mview.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mview.refresh.RefreshMode;
import dev.mview.refresh.RefreshOptions;
import org.junit.jupiter.api.Test;

/** A repeatable view migration: keyed by a description that never changes, re-run when its model does. */
class RepeatableViewMigrationTest {

  static class R__Views extends RepeatableViewMigration {
    @Override
    protected void declare(Views views) {
      views.materialized("analytics.daily", "SELECT ordered_on AS day FROM shop.orders GROUP BY 1");
    }
  }

  /** The same migration after its query was edited (another class stands for the edited file). */
  static class R__Edited extends RepeatableViewMigration {
    @Override
    protected void declare(Views views) {
      views.materialized("analytics.daily", "SELECT ordered_on AS day FROM shop.orders WHERE paid GROUP BY 1");
    }
  }

  /** The same migration with only white space changed in its query. */
  static class R__Spaced extends RepeatableViewMigration {
    @Override
    protected void declare(Views views) {
      views.materialized("analytics.daily", "  SELECT ordered_on AS day FROM shop.orders GROUP BY 1;  ");
    }
  }

  /** The same migration with its query laid out on lines and commented: PostgreSQL reads the same tokens. */
  static class R__Commented extends RepeatableViewMigration {
    @Override
    protected void declare(Views views) {
      views.materialized("analytics.daily", """
          -- one row per day
          select ordered_on as day
          from   shop.orders   /* every order */
          group  by 1""");
    }
  }

  /** The same model, refreshed never blocking readers: a changed refresh setting runs the migration again. */
  static class R__Strict extends R__Views {
    @Override
    protected RefreshOptions refreshOptions() {
      return RefreshOptions.builder().mode(RefreshMode.CONCURRENTLY).build();
    }
  }

  @Test
  void descriptionComesFromTheClassNameAndThereIsNoVersion() {
    R__Views migration = new R__Views();

    assertEquals("Views", migration.getDescription());
    assertNull(migration.getVersion());
  }

  @Test
  void checksumChangesExactlyWhenTheModelDoes() {
    assertEquals(new R__Views().getChecksum(), new R__Views().getChecksum());
    assertEquals(new R__Views().getChecksum(), new R__Spaced().getChecksum());
    assertEquals(new R__Views().getChecksum(), new R__Commented().getChecksum());
    assertNotEquals(new R__Views().getChecksum(), new R__Edited().getChecksum());
    assertNotEquals(new R__Views().getChecksum(), new R__Strict().getChecksum());
  }
}
