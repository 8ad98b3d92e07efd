package dev.mview.flyway;

import dev.mview.MviewException;
import dev.mview.flyway.internal.CallbackSettings;
import dev.mview.flyway.internal.ViewPlans;
import dev.mview.model.QualifiedName;
import dev.mview.refresh.RefreshOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * A Flyway callback that refreshes materialized views after {@code migrate} with mview's refresh
 * engine: each after the views it reads, concurrently where the view allows it (plain otherwise). Register it yourself, as an instance or as a Spring bean:
 *
 * <pre>{@code
 * Flyway.configure()
 *     .dataSource(dataSource)
 *     .callbacks(MviewRefreshCallback.schemas("analytics"))
 *     .load()
 *     .migrate();
 * }</pre>
 *
 * By default it refreshes only when the migrate applied at least one migration (Flyway's
 * {@code afterMigrateApplied}); {@link #always()} makes it refresh after every migrate (Flyway's
 * {@code afterMigrate}), for fresh data after each deploy. It runs on Flyway's connection.
 *
 * <p>Where Flyway is configured by text instead (its Maven or Gradle plugin, {@code flyway.conf},
 * {@code flyway.toml}, the command line), name the class, {@code flyway.callbacks=dev.mview.flyway.MviewRefreshCallback},
 * and configure it with Flyway placeholders: {@code mview_schemas} and {@code mview_views}
 * (comma-separated; neither: every materialized view), {@code mview_mode} ({@code auto},
 * {@code concurrently}, {@code plain}) and {@code mview_always} ({@code true} or {@code false}).
 *
 * <p>A refresh that fails makes {@code migrate} fail after the migrations were committed; the
 * message says so and what to run.
 *
 * <p>Never put it (or any callback) in {@code db/callback}: when Flyway's constructor finds
 * callbacks there, it replaces the ones registered as instances.
 */
public final class MviewRefreshCallback implements Callback {
  /** What to refresh, or null to read it from Flyway's placeholders ({@link CallbackSettings}). */
  private final RefreshOptions options;
  private final boolean always;

  /**
   * The callback Flyway makes from its configuration ({@code flyway.callbacks}): it reads what to
   * refresh and when from Flyway's placeholders each time it runs (see the class comment).
   */
  public MviewRefreshCallback() {
    this.options = null;
    this.always = false;
  }

  private MviewRefreshCallback(RefreshOptions options, boolean always) {
    this.options = Objects.requireNonNull(options, "options");
    this.always = always;
  }

  /**
   * Refreshes what {@code options} names (with none named: every materialized view of the
   * database), the way it says: mode, strictness, upstream and downstream. It runs on Flyway's
   * connection inside a transaction, so swaps and parallelism do not apply.
   */
  public static MviewRefreshCallback of(RefreshOptions options) {
    return new MviewRefreshCallback(options, false);
  }

  /** Refreshes the named materialized views ({@code schema.name}, read as SQL). */
  public static MviewRefreshCallback views(String... names) {
    List<QualifiedName> parsed = new ArrayList<>();
    for (String name : names) {
      parsed.add(QualifiedName.parse(name));
    }
    if (parsed.isEmpty()) {
      throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "MviewRefreshCallback.views needs at least one view name");
    }
    return of(RefreshOptions.builder().views(parsed.toArray(QualifiedName[]::new)).build());
  }

  /** Refreshes every materialized view of the named schemas (names as stored, case kept). */
  public static MviewRefreshCallback schemas(String... schemas) {
    if (schemas.length == 0) {
      throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "MviewRefreshCallback.schemas needs at least one schema name");
    }
    return of(RefreshOptions.builder().schemas(schemas).build());
  }

  /**
   * This callback, refreshing after every migrate, even one that applied nothing.
   *
   * @throws MviewException of kind {@link MviewException.Kind#INVALID_DECLARATION} on the callback
   *     made by class name, which takes {@code mview_always} from Flyway's placeholders instead
   */
  public MviewRefreshCallback always() {
    if (options == null) {
      throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "MviewRefreshCallback made by class name reads"
          + " mview_always from Flyway's placeholders; in code, use MviewRefreshCallback.schemas(...).always()");
    }
    return new MviewRefreshCallback(options, true);
  }

  @Override
  public boolean supports(Event event, Context context) {
    boolean afterEvery = options == null ? context != null && settings(context).always() : always;
    return event == (afterEvery ? Event.AFTER_MIGRATE : Event.AFTER_MIGRATE_APPLIED);
  }

  @Override
  public boolean canHandleInTransaction(Event event, Context context) {
    return true;
  }

  @Override
  public void handle(Event event, Context context) {
    RefreshOptions refresh = options == null ? settings(context).options() : options;
    try {
      ViewPlans.refresh(context.getConnection(), context.getConfiguration(), refresh, "flyway callback");
    } catch (MviewException e) {
      throw new FlywayException("mview refresh after migrate failed: " + e.getMessage()
          + "\nThe migrate itself succeeded and is committed (flyway info shows what it applied); only this refresh"
          + " failed, and it was rolled back. Fix the cause above, then refresh again: run migrate once more with the"
          + " callback refreshing always (placeholder mview_always=true, or .always() in code), or call"
          + " dev.mview.refresh.Refresher.refresh for these views.", e);
    }
  }

  private static CallbackSettings settings(Context context) {
    try {
      return CallbackSettings.from(context.getConfiguration().getPlaceholders());
    } catch (MviewException e) {
      throw new FlywayException(e.getMessage(), e);
    }
  }

  @Override
  public String getCallbackName() {
    return "mview refresh";
  }
}
