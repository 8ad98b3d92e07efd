package dev.mview.examples.demo;

import dev.mview.catalog.Catalog;
import dev.mview.diagram.Diagram;
import dev.mview.examples.demo.flyway.R__Customer_reports;
import dev.mview.examples.demo.flyway.V2__Analytics_views;
import dev.mview.examples.demo.flyway.V3__Paid_orders_only;
import dev.mview.flyway.MviewRefreshCallback;
import dev.mview.flyway.MviewRollback;
import dev.mview.refresh.PlannedRefresh;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.Refresher;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.migration.JavaMigration;

/** The Flyway half of the demo: migrate, refresh, redefine the root view, roll back. */
final class FlywayStory {
  static final List<String> SCHEMAS = List.of("demo_shop", "demo_analytics");

  private final DataSource dataSource;
  private final Console console;

  FlywayStory(DataSource dataSource, Console console) {
    this.dataSource = dataSource;
    this.console = console;
  }

  void run() throws Exception {
    console.execute("DROP SCHEMA IF EXISTS demo_analytics, demo_shop, demo_flyway CASCADE",
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'demo_reporting') THEN"
            + " CREATE ROLE demo_reporting; END IF; END $$");

    console.chapter("Flyway migrate: V1 tables (SQL), V2 analytics views (Java), R customer reports");
    flyway(new V2__Analytics_views(), new R__Customer_reports()).migrate();
    info(flyway(new V2__Analytics_views(), new R__Customer_reports()));
    console.say("The views, as a Mermaid diagram (materialized views numbered in refresh order):");
    try (Connection connection = dataSource.getConnection()) {
      console.say(Diagram.of(Catalog.read(connection), SCHEMAS).mermaid().stripTrailing());
    }
    console.execute("GRANT USAGE ON SCHEMA demo_analytics TO demo_reporting",
        "GRANT SELECT ON demo_analytics.weekly_sales, demo_analytics.best_weeks TO demo_reporting");
    console.say("A DBA grants demo_reporting SELECT on weekly_sales and best_weeks.");

    console.chapter("Data arrives; the refresh callback refreshes after migrate, in dependency order");
    console.execute("INSERT INTO demo_shop.orders SELECT i, 'customer ' || (i % 12), 1000, true, date '2026-10-20'"
        + " FROM generate_series(20001, 20100) i");
    console.say("100 orders of 1000.00 on 2026-10-20. How each view will be refreshed, and why:");
    refreshPlan();
    flywayWithCallback(new V2__Analytics_views(), new R__Customer_reports()).migrate();
    console.table("SELECT week, total FROM demo_analytics.weekly_sales WHERE week >= date '2026-10-19'");

    console.chapter("V3 redefines the root view: its dependents are rebuilt, grants and indexes kept");
    String before = "SELECT c.relname AS view, c.oid, coalesce(array_to_string(c.relacl, ' '), '') AS grants,"
        + " coalesce((SELECT string_agg(indexrelid::regclass::text, ' ') FROM pg_index WHERE indrelid = c.oid), '') AS indexes"
        + " FROM pg_class c WHERE c.relnamespace = 'demo_analytics'::regnamespace AND c.relkind IN ('m', 'v')"
        + " ORDER BY 1";
    console.say("Before:");
    console.table(before);
    String untouched = console.value("SELECT 'demo_analytics.customer_totals'::regclass::oid");
    flyway(new V2__Analytics_views(), new V3__Paid_orders_only(), new R__Customer_reports()).migrate();
    console.say("After V3 (new OIDs for daily_sales and everything that reads it; the rest untouched):");
    console.table(before);
    console.expect("the grants were kept", "SELECT has_table_privilege('demo_reporting',"
        + " 'demo_analytics.best_weeks', 'SELECT') AND has_table_privilege('demo_reporting', 'demo_analytics.weekly_sales', 'SELECT')", "t");
    console.expect("customer_totals was not touched", "SELECT 'demo_analytics.customer_totals'::regclass::oid", untouched);
    console.expect("the data is fresh", "SELECT sum(total) = (SELECT sum(amount) FROM demo_shop.orders WHERE paid)"
        + " FROM demo_analytics.weekly_sales", "t");
    info(flyway(new V2__Analytics_views(), new V3__Paid_orders_only(), new R__Customer_reports()));

    console.chapter("Rollback to version 2 (free edition): V3's inverse, captured when it ran");
    List<MviewRollback.Undone> undone = MviewRollback.rollbackTo(
        flyway(new V2__Analytics_views(), new V3__Paid_orders_only(), new R__Customer_reports()), "2");
    undone.forEach(step -> console.say("undone: " + step.version() + " " + step.description()));
    console.table("SELECT obj_description('demo_analytics.daily_sales'::regclass, 'pg_class') AS daily_sales_comment,"
        + " (SELECT sum(total) FROM demo_analytics.daily_sales) AS all_orders_total");
    console.expect("V2's definition is back", "SELECT sum(total) = (SELECT sum(amount) FROM demo_shop.orders)"
        + " FROM demo_analytics.daily_sales", "t");
    info(flyway(new V2__Analytics_views(), new R__Customer_reports()));
  }

  private Flyway flyway(JavaMigration... migrations) {
    return configure(migrations).load();
  }

  private Flyway flywayWithCallback(JavaMigration... migrations) {
    return configure(migrations).callbacks(MviewRefreshCallback.schemas("demo_analytics").always()).load();
  }

  private org.flywaydb.core.api.configuration.FluentConfiguration configure(JavaMigration... migrations) {
    return Flyway.configure()
        .dataSource(dataSource)
        .schemas("demo_flyway")
        .locations("classpath:demo/flyway")
        .javaMigrations(migrations);
  }

  private void info(Flyway flyway) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"version", "description", "state"});
    for (MigrationInfo migration : flyway.info().all()) {
      rows.add(new String[] {migration.getVersion() == null ? "" : migration.getVersion().getVersion(),
          migration.getDescription(), migration.getState().getDisplayName()});
    }
    console.table(rows);
  }

  private void refreshPlan() throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"view", "how", "why"});
      for (PlannedRefresh entry : Refresher.plan(connection, RefreshOptions.builder().schemas("demo_analytics").build()).entries()) {
        rows.add(new String[] {entry.view().toString(), entry.strategy().name().toLowerCase(java.util.Locale.ROOT), entry.reason()});
      }
      console.table(rows);
    }
  }
}
