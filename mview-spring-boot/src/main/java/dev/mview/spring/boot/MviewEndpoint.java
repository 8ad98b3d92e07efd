package dev.mview.spring.boot;

import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The Actuator endpoint {@code mview}: each materialized view of {@code mview.refresh.*} (every
 * one when it names none) with its last refresh. Exposed like any endpoint
 * ({@code management.endpoints.web.exposure.include=mview}).
 */
@Endpoint(id = "mview")
public class MviewEndpoint {
  private final DataSource dataSource;
  private final MviewRefreshProperties properties;

  MviewEndpoint(DataSource dataSource, MviewRefreshProperties properties) {
    this.dataSource = dataSource;
    this.properties = properties;
  }

  /** The views, by name, each with populated, last success, age, last duration, rows and outcome. */
  @ReadOperation
  public Map<String, Object> views() {
    List<Map<String, Object>> views = ViewFreshness.read(dataSource, properties).stream()
        .map(ViewFreshness::describe).toList();
    return Map.of("views", views);
  }
}
