package dev.mview.liquibase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.ChangeFactory;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.core.MySQLDatabase;
import liquibase.database.core.PostgresDatabase;
import liquibase.serializer.core.xml.XMLChangeLogSerializer;
import liquibase.sql.Sql;
import liquibase.sqlgenerator.SqlGeneratorFactory;
import liquibase.statement.SqlStatement;
import org.junit.jupiter.api.Test;

/** The change types as Liquibase sees them, with no database: registration, SQL, validation, XML. */
class ChangesWithoutDatabaseTest {
  private final PostgresDatabase postgres = new PostgresDatabase();

  @Test
  void theThreeChangeTypesAreRegistered() {
    ChangeFactory factory = Scope.getCurrentScope().getSingleton(ChangeFactory.class);
    assertEquals(CreateMaterializedViewChange.class, factory.create("createMaterializedView").getClass());
    assertEquals(RefreshMaterializedViewsChange.class, factory.create("refreshMaterializedViews").getClass());
    assertEquals(DropMaterializedViewChange.class, factory.create("dropMaterializedView").getClass());
  }

  @Test
  void createPrintsTheSharedModelsDdlWithAStepComment() {
    assertEquals("""
        -- mview: planned offline (no database to compare with) from the definitions in this changelog; views made by hand or by other changes, and the grants, owners and indexes other changes gave views, are not known
        -- create analytics.Daily Sales: new materialized view
        CREATE MATERIALIZED VIEW analytics."Daily Sales" AS
        SELECT 1 AS day
        WITH NO DATA
        CREATE UNIQUE INDEX "Daily Sales_day_key" ON analytics."Daily Sales" (day)
        COMMENT ON MATERIALIZED VIEW analytics."Daily Sales" IS 'it''s daily'""", sql(dailySales()));
  }

  @Test
  void rollbackOfACreateDropsTheView() throws Exception {
    assertEquals("""
        -- mview: planned offline (no database to compare with) from the definitions in this changelog; views made by hand or by other changes, and the grants, owners and indexes other changes gave views, are not known
        -- mview: readers of the views below wait from here until the transaction commits (each step from here on holds its locks to the end)
        -- drop analytics.Daily Sales: declared dropped
        DROP MATERIALIZED VIEW analytics."Daily Sales\"""", sql(dailySales().generateRollbackStatements(postgres)));
  }

  @Test
  void refreshWithoutADatabaseFollowsTheChangelogsDefinitions() {
    CreateMaterializedViewChange weekly = new CreateMaterializedViewChange();
    weekly.setSchemaName("analytics");
    weekly.setViewName("weekly");
    weekly.setSelectQuery("SELECT day FROM analytics.\"Daily Sales\"");
    RefreshMaterializedViewsChange refresh = new RefreshMaterializedViewsChange();
    refresh.setSchemaName("analytics");
    inOneChangeSet(weekly, dailySales(), refresh);

    assertEquals("""
        -- mview: planned offline (no database to compare with) from the definitions in this changelog; views made by hand or by other changes, and the grants, owners and indexes other changes gave views, are not known
        -- mview: readers of the views below wait from here until the transaction commits (each step from here on holds its locks to the end)
        -- refresh analytics.Daily Sales: plain: not populated: CONCURRENTLY needs a populated view
        SELECT pg_advisory_xact_lock(1836476773, -1391591145)
        CREATE TABLE IF NOT EXISTS public.mview_refresh_history (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, view_schema text NOT NULL, view_name text NOT NULL, started_at timestamptz, finished_at timestamptz, strategy text NOT NULL, reason text NOT NULL, outcome text NOT NULL, row_count bigint, message text, ran_by text NOT NULL, host text, db_user text NOT NULL DEFAULT current_user)
        CREATE INDEX IF NOT EXISTS mview_refresh_history_view_idx ON public.mview_refresh_history (view_schema, view_name, id)
        SELECT pg_advisory_xact_lock(1836476773, 1255924626)
        SELECT set_config('mview.refresh_started', clock_timestamp()::text, true)
        REFRESH MATERIALIZED VIEW analytics."Daily Sales"
        INSERT INTO public.mview_refresh_history (view_schema, view_name, started_at, finished_at, strategy, reason, outcome, row_count, ran_by, host) SELECT 'analytics', 'Daily Sales', current_setting('mview.refresh_started')::timestamptz, clock_timestamp(), 'PLAIN', 'not populated: CONCURRENTLY needs a populated view', 'REFRESHED', (SELECT count(*) FROM analytics."Daily Sales"), 'liquibase', host(inet_client_addr())
        DELETE FROM public.mview_refresh_history WHERE view_schema = 'analytics' AND view_name = 'Daily Sales' AND id <= (SELECT id FROM public.mview_refresh_history WHERE view_schema = 'analytics' AND view_name = 'Daily Sales' ORDER BY id DESC OFFSET 100 LIMIT 1) AND id <> coalesce((SELECT max(id) FROM public.mview_refresh_history WHERE view_schema = 'analytics' AND view_name = 'Daily Sales' AND outcome = 'REFRESHED'), 0)
        -- refresh analytics.weekly: plain: no usable unique index: it has no unique index
        SELECT pg_advisory_xact_lock(1836476773, -1140600619)
        SELECT set_config('mview.refresh_started', clock_timestamp()::text, true)
        REFRESH MATERIALIZED VIEW analytics.weekly
        INSERT INTO public.mview_refresh_history (view_schema, view_name, started_at, finished_at, strategy, reason, outcome, row_count, ran_by, host) SELECT 'analytics', 'weekly', current_setting('mview.refresh_started')::timestamptz, clock_timestamp(), 'PLAIN', 'no usable unique index: it has no unique index', 'REFRESHED', (SELECT count(*) FROM analytics.weekly), 'liquibase', host(inet_client_addr())
        DELETE FROM public.mview_refresh_history WHERE view_schema = 'analytics' AND view_name = 'weekly' AND id <= (SELECT id FROM public.mview_refresh_history WHERE view_schema = 'analytics' AND view_name = 'weekly' ORDER BY id DESC OFFSET 100 LIMIT 1) AND id <> coalesce((SELECT max(id) FROM public.mview_refresh_history WHERE view_schema = 'analytics' AND view_name = 'weekly' AND outcome = 'REFRESHED'), 0)""", sql(refresh));
  }

  @Test
  void theCreatesOfOneChangesetArePlannedTogetherByTheFirstInDependencyOrder() {
    CreateMaterializedViewChange weekly = create("weekly", "SELECT day FROM analytics.\"Daily Sales\"");
    CreateMaterializedViewChange daily = dailySales();
    inOneChangeSet(weekly, daily);

    assertEquals("""
        -- mview: planned offline (no database to compare with) from the definitions in this changelog; views made by hand or by other changes, and the grants, owners and indexes other changes gave views, are not known
        -- create analytics.Daily Sales: new materialized view
        CREATE MATERIALIZED VIEW analytics."Daily Sales" AS
        SELECT 1 AS day
        WITH NO DATA
        CREATE UNIQUE INDEX "Daily Sales_day_key" ON analytics."Daily Sales" (day)
        COMMENT ON MATERIALIZED VIEW analytics."Daily Sales" IS 'it''s daily'
        -- create analytics.weekly: new materialized view, reads analytics.Daily Sales
        CREATE MATERIALIZED VIEW analytics.weekly AS
        SELECT day FROM analytics."Daily Sales"
        WITH DATA""", sql(weekly));
    assertEquals(0, daily.generateStatements(postgres).length, "planned by the first create of the changeset");
  }

  @Test
  void createsOfOneChangesetThatReadEachOtherAreACycleNamingTheChangeset() {
    CreateMaterializedViewChange a = create("a", "SELECT id FROM analytics.b");
    inOneChangeSet(a, create("b", "SELECT id FROM analytics.a"));

    Exception e = assertThrows(Exception.class, () -> a.generateStatements(postgres));
    assertEquals("changeset changelog.xml::1::test: views depend on each other in a cycle: analytics.a -> analytics.b"
        + " -> analytics.a (each reads the next); remove one of these references", e.getMessage());
  }

  @Test
  void validationRejectsOtherDatabases() {
    assertEquals(List.of("createMaterializedView works on PostgreSQL only, not on mysql: run it against PostgreSQL"
            + " or limit the changeset with dbms=\"postgresql\""),
        dailySales().validate(new MySQLDatabase()).getErrorMessages());
  }

  @Test
  void xmlChangelogsAreWrittenWithTheMviewNamespaceAndSchema() throws Exception {
    ChangeSet changeSet = inOneChangeSet(dailySales());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new XMLChangeLogSerializer().write(List.of(changeSet), out);

    String xml = out.toString(StandardCharsets.UTF_8);
    assertTrue(xml.contains("xmlns:mview=\"http://mview.dev/xml/ns/mview\""), xml);
    assertTrue(xml.contains("http://mview.dev/xml/ns/mview http://mview.dev/xml/ns/mview/mview-1.0.xsd"), xml);
    assertTrue(xml.contains("<mview:createMaterializedView comment=\"it's daily\" schemaName=\"analytics\""
        + " uniqueKey=\"day\" viewName=\"Daily Sales\" withData=\"false\">SELECT 1 AS day;</mview:createMaterializedView>"), xml);
  }

  private static CreateMaterializedViewChange create(String name, String query) {
    CreateMaterializedViewChange create = new CreateMaterializedViewChange();
    create.setSchemaName("analytics");
    create.setViewName(name);
    create.setSelectQuery(query);
    return create;
  }

  private static CreateMaterializedViewChange dailySales() {
    CreateMaterializedViewChange create = new CreateMaterializedViewChange();
    create.setSchemaName("analytics");
    create.setViewName("Daily Sales");
    create.setSelectQuery("SELECT 1 AS day;");
    create.setUniqueKey("day");
    create.setWithData(false);
    create.setComment("it's daily");
    return create;
  }

  private static ChangeSet inOneChangeSet(Change... changes) {
    DatabaseChangeLog changeLog = new DatabaseChangeLog("changelog.xml");
    ChangeSet changeSet = new ChangeSet("1", "test", false, false, "changelog.xml", null, null, changeLog);
    Arrays.stream(changes).forEach(changeSet::addChange);
    changeLog.addChangeSet(changeSet);
    return changeSet;
  }

  private String sql(Change change) {
    return sql(change.generateStatements(postgres));
  }

  private String sql(SqlStatement[] statements) {
    return Arrays.stream(statements)
        .flatMap(statement -> Arrays.stream(SqlGeneratorFactory.getInstance().generateSql(statement, postgres)))
        .map(Sql::toSql)
        .collect(Collectors.joining("\n"));
  }
}
