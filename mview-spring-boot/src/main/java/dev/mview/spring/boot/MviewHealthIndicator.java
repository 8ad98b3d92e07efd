package dev.mview.spring.boot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * DOWN when a materialized view of {@code mview.refresh.*} is older than
 * {@code mview.refresh.max-staleness} (its last successful refresh finished longer ago, none is
 * recorded, or it is not populated), naming each such view with its age.
 */
public class MviewHealthIndicator implements HealthIndicator {
  private final DataSource dataSource;
  private final MviewRefreshProperties properties;

  MviewHealthIndicator(DataSource dataSource, MviewRefreshProperties properties) {
    this.dataSource = dataSource;
    this.properties = properties;
  }

  @Override
  public Health health() {
    Duration maxStaleness = properties.getMaxStaleness();
    List<ViewFreshness> views = ViewFreshness.read(dataSource, properties);
    Map<String, Object> stale = new LinkedHashMap<>();
    for (ViewFreshness view : views) {
      if (view.staleAfter(maxStaleness)) {
        stale.put(view.view().toString(), !view.populated() ? "not populated"
            : view.age() == null ? "no refresh recorded" : "last refreshed " + view.age() + " ago");
      }
    }
    Health.Builder health = stale.isEmpty() ? Health.up() : Health.down();
    return health.withDetail("maxStaleness", maxStaleness.toString()).withDetail("views", views.size())
        .withDetail("stale", stale).build();
  }
}
