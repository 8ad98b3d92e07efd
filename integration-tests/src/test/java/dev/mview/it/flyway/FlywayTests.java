package dev.mview.it.flyway;

import dev.mview.it.flyway.migrations.V2__Sales_views;
import dev.mview.it.flyway.migrations.V3__Paid_daily_sales;
import dev.mview.it.support.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;

/** What the Flyway tests share: configurations for the sales scenario and views of the catalog to compare. */
final class FlywayTests {
  /** The SQL migrations of the sales scenario (version 1, the tables). */
  static final String SQL = "classpath:dev/mview/it/flyway/sql";

  private FlywayTests() {}

  /** Flyway on {@code db} with the tables and the given Java migration instances. */
  static FluentConfiguration configure(TestDatabase db, JavaMigration... migrations) {
    return Flyway.configure()
        .dataSource(db.jdbcUrl(), db.user(), db.password())
        .locations(SQL)
        .javaMigrations(migrations);
  }

  /** The sales scenario up to version 2 with its repeatable model. */
  static Flyway version2(TestDatabase db) {
    return configure(db, new V2__Sales_views(), new dev.mview.it.flyway.migrations.before.R__Sales_views()).load();
  }

  /** The sales scenario up to version 3, with the repeatable model edited to match. */
  static Flyway version3(TestDatabase db) {
    return configure(db, new V2__Sales_views(), new V3__Paid_daily_sales(),
        new dev.mview.it.flyway.migrations.after.R__Sales_views()).load();
  }

  /**
   * Everything the user schemas hold that a migration could change: relations with their kind,
   * view definitions and populated flag, columns, indexes, comments, owners and grants. Flyway's
   * history and mview's journal are left out (they are compared through {@link #history}), and so
   * is the refresh history, which records refreshes rather than schema.
   */
  static List<String> catalog(TestDatabase db) {
    List<String> lines = new ArrayList<>();
    for (Map<String, Object> row : db.rows("SELECT n.nspname || '.' || c.relname AS name, c.relkind,"
        + " pg_get_userbyid(c.relowner) AS owner, c.relacl::text AS acl, obj_description(c.oid, 'pg_class') AS comment,"
        + " CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS definition,"
        + " (SELECT ispopulated FROM pg_matviews m WHERE m.schemaname = n.nspname AND m.matviewname = c.relname) AS populated,"
        + " (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)"
        + "    FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,"
        + " (SELECT string_agg(pg_get_indexdef(i.indexrelid), '; ' ORDER BY 1) FROM pg_index i WHERE i.indrelid = c.oid) AS indexes"
        + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"
        + " AND c.relkind IN ('r', 'v', 'm', 'p') AND c.relname NOT LIKE 'flyway_schema_history%'"
        + " AND c.relname <> 'mview_refresh_history'"
        + " ORDER BY 1")) {
      lines.add(row.toString());
    }
    lines.add("schemas: " + db.column("SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg_%'"
        + " AND nspname <> 'information_schema' ORDER BY 1"));
    return lines;
  }

  /** Flyway's schema history, oldest first: rank, version, description, type, checksum, success. */
  static List<String> history(TestDatabase db) {
    List<String> lines = new ArrayList<>();
    for (Map<String, Object> row : db.rows("SELECT installed_rank, version, description, type, checksum, success"
        + " FROM flyway_schema_history ORDER BY installed_rank")) {
      lines.add(row.toString());
    }
    return lines;
  }
}
