package dev.mview.flyway;

import dev.mview.flyway.internal.Declaration;
import dev.mview.flyway.internal.Resources;
import dev.mview.flyway.internal.ViewMigrations;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * A versioned Flyway migration that declares views. Name the subclass the Flyway way
 * ({@code V3__Sales_views}), put it in {@code db/migration} (or pass an instance to
 * {@code javaMigrations(...)}), and declare its views in {@link #declare}:
 *
 * <pre>{@code
 * public class V3__Sales_views extends MaterializedViewMigration {
 *   protected void declare(Views views) {
 *     views.materialized("analytics.daily_sales", sql("db/views/daily_sales.sql"))
 *         .index(IndexDefinition.unique("day"));
 *     views.materialized("analytics.weekly_sales",
 *         "SELECT date_trunc('week', day) AS week, sum(total) AS total FROM analytics.daily_sales GROUP BY 1");
 *     views.drop("analytics.old_report");
 *   }
 * }
 * }</pre>
 *
 * When Flyway runs it, inside Flyway's transaction, it creates the views that do not exist, replaces
 * those whose definition changed (dropping and recreating their dependents with indexes, grants,
 * comments and owner restored), leaves unchanged ones alone and drops those declared dropped, each
 * in dependency order. It records the SQL that undoes all this, as the database was at that moment,
 * in a journal table beside Flyway's history, for {@link MviewRollback} and {@link UndoScripts}.
 *
 * <p>Its description in {@code flyway info} says what it does
 * ({@code Sales views: create or replace analytics.daily_sales, analytics.weekly_sales; drop
 * analytics.old_report}), and its checksum is a hash of the declaration, so {@code validate} notices
 * when an applied view migration was edited, as it does for SQL migrations. A migration is history:
 * give each version its own SQL (inline, or a file of its own) rather than editing a shared file.
 */
public abstract class MaterializedViewMigration extends BaseJavaMigration {
  private final LazyDeclaration declaration = new LazyDeclaration(getClass(), this::declare, super::getDescription);

  /** Flyway creates migrations through their no-argument constructor. */
  protected MaterializedViewMigration() {}

  /**
   * Declares the views this migration creates or replaces, and those it drops. Called once, when
   * Flyway first asks about the migration; it must only declare (no database access).
   */
  protected abstract void declare(Views views);

  /**
   * The text of classpath resource {@code path}, such as {@code db/views/daily_sales.sql}, read
   * with this migration's class loader; for queries kept in files of their own.
   */
  protected final String sql(String path) {
    return Resources.read(getClass(), path);
  }

  /** The class-derived description followed by what the migration does. */
  @Override
  public String getDescription() {
    return declaration().describe();
  }

  /**
   * Whether views this migration rebuilds (a changed definition and everything that reads it) are
   * built beside the live ones first and swapped in by the last steps, so that readers wait only
   * for that short swap, not for the rebuild ({@link dev.mview.plan.ReconcileOptions#online}).
   * Default false; override to return true. It needs room for two copies while the migration runs.
   * Not part of the checksum: it changes how, not what.
   */
  protected boolean online() {
    return false;
  }

  /** A hash of the declaration: equal exactly when the declared views and drops are. */
  @Override
  public Integer getChecksum() {
    return declaration().checksum("");
  }

  @Override
  public void migrate(Context context) {
    ViewMigrations.apply(getClass().getSimpleName(), context.getConfiguration(), context.getConnection(),
        declaration(), online(), null, getVersion().getVersion(), getDescription(), getChecksum());
  }

  private Declaration declaration() {
    return declaration.get();
  }
}
