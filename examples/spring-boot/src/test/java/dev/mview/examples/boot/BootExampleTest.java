package dev.mview.examples.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Boots the example on an embedded PostgreSQL and checks what Flyway and Liquibase left behind. */
@SpringBootTest
class BootExampleTest {
  private static EmbeddedPostgres postgres;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) throws IOException {
    if (postgres == null) {
      postgres = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          postgres.close();
        } catch (IOException ignored) {
          // the JVM is exiting
        }
      }));
    }
    registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
    registry.add("spring.datasource.username", () -> "postgres");
  }

  @Autowired
  JdbcTemplate jdbc;

  @Test
  void flywayRanTheViewMigrationBeanAndTheRefreshCallbackBean() {
    assertEquals(List.of("1", "2"), jdbc.queryForList(
        "SELECT version FROM boot_flyway.flyway_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank", String.class));
    // Declared WITH NO DATA: only the callback's refresh can have populated them.
    assertEquals(List.of(Map.of("matviewname", "daily_sales", "ispopulated", true),
            Map.of("matviewname", "monthly_sales", "ispopulated", true)),
        jdbc.queryForList("SELECT matviewname::text, ispopulated FROM pg_matviews"
            + " WHERE schemaname = 'boot_analytics' ORDER BY 1"));
    assertEquals(jdbc.queryForObject("SELECT sum(amount) FROM boot_shop.orders", java.math.BigDecimal.class),
        jdbc.queryForObject("SELECT sum(total) FROM boot_analytics.monthly_sales", java.math.BigDecimal.class));
  }

  @Test
  void liquibaseRanTheChangelogWithMviewChangeTypes() {
    assertEquals("Visits per page",
        jdbc.queryForObject("SELECT obj_description('boot_lb.page_visits'::regclass, 'pg_class')", String.class));
    assertEquals(List.of("page_visits_page_key"), jdbc.queryForList(
        "SELECT indexname::text FROM pg_indexes WHERE schemaname = 'boot_lb' AND tablename = 'page_visits'", String.class));
    assertEquals(3, jdbc.queryForList(
        "SELECT id FROM databasechangelog WHERE id LIKE 'boot-%'", String.class).size());
  }
}
