package dev.mview.flyway;

import dev.mview.MviewException;
import dev.mview.flyway.internal.ViewPlans;
import dev.mview.model.QualifiedName;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * A Flyway callback that refreshes materialized views after {@code migrate}, each after the views
 * it reads. Register it yourself, as an instance or as a Spring bean:
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
 * <p>Never put it (or any callback) in {@code db/callback}: when Flyway's constructor finds
 * callbacks there, it replaces the ones registered as instances.
 */
public final class MviewRefreshCallback implements Callback {
  private final List<QualifiedName> views;
  private final List<String> schemas;
  private final boolean always;

  private MviewRefreshCallback(List<QualifiedName> views, List<String> schemas, boolean always) {
    this.views = List.copyOf(views);
    this.schemas = List.copyOf(schemas);
    this.always = always;
  }

  /** Refreshes the named materialized views ({@code schema.name}, read as SQL). */
  public static MviewRefreshCallback views(String... names) {
    List<QualifiedName> parsed = new ArrayList<>();
    for (String name : names) {
      parsed.add(QualifiedName.parse(name));
    }
    if (parsed.isEmpty()) {
      throw new MviewException("MviewRefreshCallback.views needs at least one view name");
    }
    return new MviewRefreshCallback(parsed, List.of(), false);
  }

  /** Refreshes every materialized view of the named schemas (names as stored, case kept). */
  public static MviewRefreshCallback schemas(String... schemas) {
    if (schemas.length == 0) {
      throw new MviewException("MviewRefreshCallback.schemas needs at least one schema name");
    }
    return new MviewRefreshCallback(List.of(), List.of(schemas), false);
  }

  /** This callback, refreshing after every migrate, even one that applied nothing. */
  public MviewRefreshCallback always() {
    return new MviewRefreshCallback(views, schemas, true);
  }

  @Override
  public boolean supports(Event event, Context context) {
    return event == (always ? Event.AFTER_MIGRATE : Event.AFTER_MIGRATE_APPLIED);
  }

  @Override
  public boolean canHandleInTransaction(Event event, Context context) {
    return true;
  }

  @Override
  public void handle(Event event, Context context) {
    try {
      ViewPlans.refresh(context.getConnection(), views, schemas);
    } catch (MviewException | SQLException e) {
      throw new FlywayException("mview refresh after migrate failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String getCallbackName() {
    return "mview refresh";
  }
}
