package dev.mview.flyway;

import dev.mview.flyway.internal.Declaration;
import dev.mview.flyway.internal.Resources;
import dev.mview.flyway.internal.ViewMigrations;
import dev.mview.flyway.internal.ViewPlans;
import dev.mview.refresh.RefreshMode;
import dev.mview.refresh.RefreshOptions;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * A repeatable Flyway migration that holds the current model of views and keeps the database in
 * step with it. Name the subclass the Flyway way ({@code R__Sales_views}) and declare the views as
 * they should be now:
 *
 * <pre>{@code
 * public class R__Sales_views extends RepeatableViewMigration {
 *   protected void declare(Views views) {
 *     views.materialized("analytics.daily_sales", sql("db/views/daily_sales.sql"))
 *         .index(IndexDefinition.unique("day"));
 *   }
 * }
 * }</pre>
 *
 * Its checksum is a hash of the model ({@link dev.mview.model.ViewModel#fingerprint()}) and of how
 * it refreshes, so Flyway runs it again exactly when a definition (or the SQL file it reads)
 * changes, and never otherwise. When it runs, inside Flyway's transaction, it reconciles (creates
 * what is missing, replaces what changed together with its dependents, leaves the rest alone) and
 * then refreshes the model's materialized views, each after those it reads. What it changed is
 * journaled like a versioned view migration's, so {@link MviewRollback} can undo it.
 *
 * <p>Flyway runs a repeatable migration only when its checksum changes. To refresh after every
 * {@code migrate}, whatever changed, register {@link MviewRefreshCallback#always} as well: a
 * checksum that changed on every run would only fill the history with superseded rows.
 *
 * <p>The description (Flyway's key for a repeatable migration) is the one Flyway derives from the
 * class name, and stays the same when the model changes.
 */
public abstract class RepeatableViewMigration extends BaseJavaMigration {
  private final LazyDeclaration declaration = new LazyDeclaration(getClass(), this::declare, this::getDescription);

  /** Flyway creates migrations through their no-argument constructor. */
  protected RepeatableViewMigration() {}

  /**
   * Declares the views as they should be now. Called once, when Flyway first asks about the
   * migration; it must only declare (no database access).
   */
  protected abstract void declare(Views views);

  /**
   * The text of classpath resource {@code path}, such as {@code db/views/daily_sales.sql}, read
   * with this migration's class loader.
   */
  protected final String sql(String path) {
    return Resources.read(getClass(), path);
  }

  /**
   * How the model's materialized views are refreshed after each run: by default
   * {@link RefreshMode#AUTO} (concurrently where the view allows it, plain otherwise, each with its
   * reason). The model's materialized views are always targets; views and schemas named here are
   * added, and {@code includeDownstream(true)} also refreshes materialized views outside the model
   * that read it. The refresh runs inside Flyway's transaction, on its connection, so swaps and
   * parallelism do not apply. Part of the checksum: changing it runs the migration again.
   */
  protected RefreshOptions refreshOptions() {
    return RefreshOptions.builder().mode(RefreshMode.AUTO).build();
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

  /** A hash of the declared model and the refresh settings. */
  @Override
  public Integer getChecksum() {
    return declaration().checksum(ViewPlans.describe(refreshOptions()));
  }

  @Override
  public void migrate(Context context) {
    if (declaration().tableChange() != null) {
      throw new FlywayException(getClass().getSimpleName() + " changes tables (alterTable), which a repeatable"
          + " migration cannot do: it runs again whenever its views change. Change tables in a versioned"
          + " MaterializedViewMigration.");
    }
    ViewMigrations.apply(getClass().getSimpleName(), context.getConfiguration(), context.getConnection(),
        declaration(), online(), refreshOptions(), null, getDescription(), getChecksum());
  }

  private Declaration declaration() {
    return declaration.get();
  }
}
