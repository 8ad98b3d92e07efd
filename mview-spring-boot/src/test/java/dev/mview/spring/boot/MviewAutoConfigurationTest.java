package dev.mview.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.flyway.MviewRefreshCallback;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * A Boot 4.1 application with its managed Flyway on an embedded PostgreSQL, started with the
 * {@code mview.refresh.*} properties: the callback refreshes after migrate, the schedule fires
 * (in two application contexts at once, never refreshing one view twice at a time), the endpoint
 * and the health indicator show the views, the meters count the refreshes; without the
 * properties nothing of it exists.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MviewAutoConfigurationTest {
  private static EmbeddedPostgres postgres;

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }

    @Bean
    OrderWriter orderWriter(JdbcTemplate jdbc) {
      return new OrderWriter(jdbc);
    }
  }

  /** An application's service that writes the table the views read. */
  static class OrderWriter {
    private final JdbcTemplate jdbc;

    OrderWriter(JdbcTemplate jdbc) {
      this.jdbc = jdbc;
    }

    @Transactional
    @RefreshAfterCommit(tables = "boot_shop.orders")
    public void add(int id) {
      jdbc.update("INSERT INTO boot_shop.orders VALUES (?, date '2026-01-01' + ? % 10, ?)", id, id, id);
    }

    @Transactional
    @RefreshAfterCommit(tables = "boot_shop.orders")
    public void addThenFail(int id) {
      add(id);
      throw new IllegalStateException("rolled back");
    }
  }

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  private static ConfigurableApplicationContext run(String... properties) {
    List<String> all = new ArrayList<>(List.of("spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
        "spring.flyway.schemas=boot_flyway", "spring.main.web-application-type=none"));
    all.addAll(List.of(properties));
    return new SpringApplicationBuilder(App.class).properties(all.toArray(String[]::new)).run();
  }

  private static List<Map<String, Object>> rows(String sql) throws Exception {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  private static void execute(String sql) throws Exception {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  @Test
  @Order(1)
  void theCallbackRefreshesAfterMigrateAndTheEndpointAndHealthShowTheViews() throws Exception {
    try (ConfigurableApplicationContext context = run("mview.refresh.after-migrate=true",
        "mview.refresh.schemas=boot_views", "mview.refresh.max-staleness=1h")) {
      assertEquals(List.of(Map.of("matviewname", "best_day", "ispopulated", true),
              Map.of("matviewname", "daily", "ispopulated", true)),
          rows("SELECT matviewname, ispopulated FROM pg_matviews WHERE schemaname = 'boot_views' ORDER BY 1"));
      assertEquals(List.of(Map.of("view_name", "daily", "strategy", "PLAIN", "ran_by", "flyway callback"),
              Map.of("view_name", "best_day", "strategy", "PLAIN", "ran_by", "flyway callback")),
          rows("SELECT view_name, strategy, ran_by FROM boot_flyway.mview_refresh_history ORDER BY id"),
          "recorded beside Flyway's history");

      @SuppressWarnings("unchecked")
      List<Map<String, Object>> views = (List<Map<String, Object>>) context.getBean(MviewEndpoint.class).views()
          .get("views");
      assertEquals(List.of("boot_views.best_day", "boot_views.daily"), views.stream().map(v -> v.get("view")).toList());
      assertEquals("REFRESHED", String.valueOf(views.get(1).get("lastOutcome")));
      assertEquals(true, views.get(1).get("populated"));

      HealthIndicator health = context.getBean("mviewHealthIndicator", HealthIndicator.class);
      assertEquals(Status.UP, health.health().getStatus());
      execute("CREATE MATERIALIZED VIEW boot_views.never AS SELECT 1 AS one WITH NO DATA");
      try {
        Health down = health.health();
        assertEquals(Status.DOWN, down.getStatus());
        assertEquals(Map.of("boot_views.never", "not populated"), down.getDetails().get("stale"));
      } finally {
        execute("DROP MATERIALIZED VIEW boot_views.never");
      }
    }
  }

  @Test
  @Order(2)
  void theScheduleFiresInTwoContextsAtOnceNeverRefreshingAViewTwiceAtATimeAndTheMetersCount() throws Exception {
    String[] scheduled = {"mview.refresh.schemas=boot_views", "mview.refresh.schedule=* * * * * *"};
    long timerCount;
    try (ConfigurableApplicationContext first = run(scheduled); ConfigurableApplicationContext second = run(scheduled)) {
      long deadline = System.nanoTime() + 120_000_000_000L; // a bound on waiting, not a timing assertion
      while ((scheduledRows() < 6 || refreshedDaily() < 3) && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      timerCount = count(first) + count(second);
    }
    assertTrue(scheduledRows() >= 6, "the schedule fired: " + scheduledRows() + " rows");
    assertTrue(refreshedDaily() >= 3, "boot_views.daily was refreshed: " + refreshedDaily() + " times");
    assertEquals(List.of(), rows("SELECT a.view_name, a.id, b.id FROM public.mview_refresh_history a"
        + " JOIN public.mview_refresh_history b ON a.view_name = b.view_name AND a.id < b.id"
        + " WHERE a.ran_by = 'spring schedule' AND b.ran_by = 'spring schedule'"
        + " AND a.started_at < b.finished_at AND b.started_at < a.finished_at"), "no two refreshes of a view overlap");
    assertTrue(timerCount >= 3, "the timers counted the refreshes: " + timerCount);
  }

  private static long scheduledRows() throws Exception {
    if (rows("SELECT to_regclass('public.mview_refresh_history') IS NOT NULL AS e").get(0).get("e").equals(false)) {
      return 0;
    }
    return (Long) rows("SELECT count(*) AS n FROM public.mview_refresh_history WHERE ran_by = 'spring schedule'")
        .get(0).get("n");
  }

  /** Successful scheduled refreshes of boot_views.daily; a run that found it busy records no success. */
  private static long refreshedDaily() throws Exception {
    return scheduledRows() == 0 ? 0 : (Long) rows("SELECT count(*) AS n FROM public.mview_refresh_history"
        + " WHERE ran_by = 'spring schedule' AND view_name = 'daily' AND outcome = 'REFRESHED'").get(0).get("n");
  }

  /** The refreshes of boot_views.daily the timers counted, whatever strategy each took (one timer per strategy). */
  private static long count(ConfigurableApplicationContext context) {
    return context.getBean(MeterRegistry.class).find("mview.refresh").tag("view", "boot_views.daily").timers()
        .stream().mapToLong(Timer::count).sum();
  }

  @Test
  @Order(4)
  void fiftyCommitsInABurstLeaveTheViewsFreshWithFarFewerRefreshesAndARollbackLeadsToNone() throws Exception {
    try (ConfigurableApplicationContext context = run()) {
      OrderWriter writer = context.getBean(OrderWriter.class);
      AfterCommitRefresher refresher = context.getBean(AfterCommitRefresher.class);
      for (int i = 0; i < 50; i++) {
        writer.add(1000 + i);
      }
      long deadline = System.nanoTime() + 120_000_000_000L; // a bound on waiting, not a timing assertion
      while (!refresher.idle() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(refresher.idle(), "the refreshes ended");
      assertEquals(rows("SELECT day, sum(amount) AS total FROM boot_shop.orders GROUP BY day ORDER BY day"),
          rows("SELECT day, total FROM boot_views.daily ORDER BY day"), "fresh");
      assertEquals(rows("SELECT day FROM (SELECT day, sum(amount) AS total FROM boot_shop.orders GROUP BY day) d"
          + " ORDER BY total DESC LIMIT 1"), rows("SELECT day FROM boot_views.best_day"), "downstream too, after it");
      long refreshes = afterCommitRefreshes();
      assertTrue(refreshes >= 1 && refreshes <= 25, "50 commits, " + refreshes + " refreshes");
      assertEquals(refreshes, (long) (Long) rows("SELECT count(*) AS n FROM public.mview_refresh_history"
          + " WHERE ran_by = 'spring after commit' AND view_name = 'best_day'").get(0).get("n"));

      org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> writer.addThenFail(2000));
      assertTrue(refresher.idle(), "nothing asked for");
      assertEquals(refreshes, afterCommitRefreshes());
      assertEquals(List.of(), rows("SELECT id FROM boot_shop.orders WHERE id = 2000"));
    }
  }

  private static long afterCommitRefreshes() throws Exception {
    return (Long) rows("SELECT count(*) AS n FROM public.mview_refresh_history WHERE ran_by = 'spring after commit'"
        + " AND view_name = 'daily'").get(0).get("n");
  }

  @Test
  @Order(3)
  void withoutThePropertiesNothingOfItIsThere() {
    try (ConfigurableApplicationContext context = run()) {
      assertEquals(Map.of(), context.getBeansOfType(MviewRefreshCallback.class));
      assertEquals(Map.of(), context.getBeansOfType(MviewScheduledRefresh.class));
      assertEquals(Map.of(), context.getBeansOfType(MviewHealthIndicator.class));
    }
  }
}
