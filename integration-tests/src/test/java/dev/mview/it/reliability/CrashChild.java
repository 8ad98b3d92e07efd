package dev.mview.it.reliability;

import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.Views;
import dev.mview.model.QualifiedName;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.Refresher;
import java.sql.Connection;
import java.sql.DriverManager;
import org.flywaydb.core.Flyway;
import liquibase.command.CommandScope;

/**
 * A second JVM for the reliability suite. {@link CrashTest} kills it in the middle of
 * {@code flyway URL USER}, {@code liquibase URL USER CHANGELOG} or {@code swap URL USER}, whose URL
 * asks the server for a fault (a sleep at a DDL statement), so the parent knows when the child is
 * in the middle of its work. {@link ConcurrencyTest} runs {@code refresh URL USER MILLIS}: refreshes
 * of schema k, one after another for that long, printing {@code runs=N failed=M}.
 */
public final class CrashChild {
  private CrashChild() {}

  /** Redefines c.root (its readers rebuilt), with Flyway's history in schema cfw. */
  public static final class V2__Redefine_root extends MaterializedViewMigration {
    @Override
    protected void declare(Views views) {
      views.materialized("c.root", CrashTest.CHANGED);
    }
  }

  public static void main(String[] args) throws Exception {
    String url = args[1];
    String user = args[2];
    switch (args[0]) {
      case "flyway" -> Flyway.configure().dataSource(url, user, null).schemas("cfw")
          .javaMigrations(new V2__Redefine_root()).load().migrate();
      case "liquibase" -> {
        System.setProperty("liquibase.analytics.enabled", "false");
        new CommandScope("update").addArgumentValue("changelogFile", args[3]).addArgumentValue("url", url)
            .addArgumentValue("username", user).execute();
      }
      case "swap" -> {
        try (Connection connection = DriverManager.getConnection(url, user, null)) {
          Refresher.refresh(connection, RefreshOptions.builder().views(QualifiedName.of("c", "alone")).swap(true).build())
              .throwIfFailed();
        }
      }
      case "refresh" -> {
        long end = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000;
        int runs = 0;
        int failed = 0;
        while (System.nanoTime() < end) {
          try (Connection connection = DriverManager.getConnection(url, user, null)) {
            failed += Refresher.refresh(connection, RefreshOptions.builder().schemas("k").swap(true).build()).results()
                .stream().filter(r -> r.outcome() != dev.mview.refresh.RefreshOutcome.REFRESHED).count();
          } catch (RuntimeException e) {
            e.printStackTrace();
            failed++;
          }
          runs++;
        }
        System.out.println("runs=" + runs + " failed=" + failed);
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
    System.out.println("completed");
  }
}
