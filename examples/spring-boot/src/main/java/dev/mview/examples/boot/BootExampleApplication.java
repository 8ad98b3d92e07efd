package dev.mview.examples.boot;

import dev.mview.examples.boot.migration.V2__Sales_views;
import dev.mview.flyway.MviewRefreshCallback;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.migration.JavaMigration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application using mview through Boot's own auto-configuration: Flyway picks up the
 * {@link JavaMigration} and {@link Callback} beans below (V1 comes from {@code db/migration}), and
 * Liquibase runs {@code db/changelog/db.changelog-master.yaml}, which uses mview's change types.
 */
@SpringBootApplication
public class BootExampleApplication {

  public static void main(String[] args) {
    SpringApplication.run(BootExampleApplication.class, args);
  }

  /** A view migration as a bean: Boot hands it to Flyway beside the scanned SQL migrations. */
  @Bean
  JavaMigration salesViews() {
    return new V2__Sales_views();
  }

  /** Refreshes the analytics views after every migrate, each after the views it reads. */
  @Bean
  Callback refreshViews() {
    return MviewRefreshCallback.schemas("boot_analytics").always();
  }
}
