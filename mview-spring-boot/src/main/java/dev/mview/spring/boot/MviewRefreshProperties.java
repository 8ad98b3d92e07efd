package dev.mview.spring.boot;

import dev.mview.MviewException;
import dev.mview.model.QualifiedName;
import dev.mview.refresh.OnBusy;
import dev.mview.refresh.RefreshMode;
import dev.mview.refresh.RefreshOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code mview.refresh.*}: what mview refreshes in a Boot application, and when. Nothing runs unless set. */
@ConfigurationProperties("mview.refresh")
public class MviewRefreshProperties {
  /** Refresh after Flyway's migrate (registers mview's Flyway callback). */
  private boolean afterMigrate;
  /** After every migrate, not only after one that applied a migration. */
  private boolean always;
  /** Schemas whose materialized views are refreshed (names as stored). */
  private List<String> schemas = new ArrayList<>();
  /** Materialized views refreshed ({@code schema.name} as SQL reads it); with no schemas either: every one. */
  private List<String> views = new ArrayList<>();
  /** auto, concurrently (never block readers, or fail) or plain. */
  private RefreshMode mode = RefreshMode.AUTO;
  /** Connections a scheduled refresh uses at once. */
  private int parallelism = 1;
  /** A cron expression (six fields, seconds first) for scheduled refreshes; none: no schedule. */
  private String schedule;
  /** The health indicator reports DOWN when a view's last successful refresh is older than this. */
  private Duration maxStaleness;

  public boolean isAfterMigrate() {
    return afterMigrate;
  }

  public void setAfterMigrate(boolean afterMigrate) {
    this.afterMigrate = afterMigrate;
  }

  public boolean isAlways() {
    return always;
  }

  public void setAlways(boolean always) {
    this.always = always;
  }

  public List<String> getSchemas() {
    return schemas;
  }

  public void setSchemas(List<String> schemas) {
    this.schemas = schemas;
  }

  public List<String> getViews() {
    return views;
  }

  public void setViews(List<String> views) {
    this.views = views;
  }

  public RefreshMode getMode() {
    return mode;
  }

  public void setMode(RefreshMode mode) {
    this.mode = mode;
  }

  public int getParallelism() {
    return parallelism;
  }

  public void setParallelism(int parallelism) {
    this.parallelism = parallelism;
  }

  public String getSchedule() {
    return schedule;
  }

  public void setSchedule(String schedule) {
    this.schedule = schedule;
  }

  public Duration getMaxStaleness() {
    return maxStaleness;
  }

  public void setMaxStaleness(Duration maxStaleness) {
    this.maxStaleness = maxStaleness;
  }

  /** The views these properties name, parsed. */
  List<QualifiedName> viewNames() {
    return views.stream().map(QualifiedName::parse).toList();
  }

  /**
   * The engine's options for these properties; {@code onBusy} for what a second instance does
   * with a view the first is refreshing.
   */
  RefreshOptions options(OnBusy onBusy) {
    try {
      return RefreshOptions.builder()
          .views(viewNames().toArray(QualifiedName[]::new))
          .schemas(schemas.toArray(String[]::new))
          .mode(mode)
          .parallelism(parallelism)
          .onBusy(onBusy)
          .build();
    } catch (MviewException e) {
      throw new MviewException(e.kind(), "mview.refresh properties cannot be used: " + e.getMessage(), e);
    }
  }
}
