package dev.mview.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mview.MviewException;
import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.flyway.Views;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.IndexDefinition;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import dev.mview.plan.Plan;
import dev.mview.plan.Reconciler;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.RefreshOutcome;
import dev.mview.refresh.RefreshReport;
import dev.mview.refresh.RefreshResult;
import dev.mview.refresh.Refresher;
import dev.mview.sql.Identifiers;
import dev.mview.sql.Literals;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile text through every name and option field: the Java API, a Flyway view migration, the
 * Liquibase changes in YAML, XML and JSON, and names already in the catalog that mview reads and
 * writes back (second order). Each input is refused with a message naming the view and the field,
 * or creates exactly the object it names; victim tables and a catalog snapshot show nothing else ran.
 */
@Tag("reliability")
@ExtendWith(PostgresExtension.class)
class HostileInputTest {
  private static final String DROP = "DROP TABLE s.victim";

  /** Texts meant to end a comment, a string, a quoted name or a statement early, or to read differently to PostgreSQL. */
  static final List<String> HOSTILE = List.of(
      "x\r" + DROP + ";--", "x\n" + DROP + ";--", "x\r\n" + DROP + ";--", "x\u2028" + DROP + ";--",
      "x\u0085" + DROP + ";--", "x\f" + DROP + ";--", "x\u000b" + DROP + ";--", "x\t" + DROP,
      "x\"; " + DROP + "; --", "x'; " + DROP + "; --", "x$$; " + DROP + "; $$", "x\\'; " + DROP + "; --",
      "x*/; " + DROP + "; /*", "x/*", "\u0663$$;" + DROP + ";--", "a\u2003;" + DROP + ";--",
      "a\u3000;" + DROP + ";--", "e'\\''; " + DROP + "; --", "U&\"x\"", "$1", "%s%n", "${flyway:user}", ";", "--",
      "x.y", "\"\"", "Mixed Case", "select", "x\u001b[2J", "\uFEFFx", "x\uD83D\uDE00", "null", "x\\\\",
      "", " ", "x\u0000y", "a".repeat(64), "\u00e9".repeat(32));

  /** Queries: more than one statement to PostgreSQL or the driver, or one that looks like more. */
  static final List<String> QUERIES = List.of(
      "SELECT 1 AS id; " + DROP,
      "SELECT 1 AS id;",
      "SELECT 1 AS id; ; ",
      "SELECT 1 AS \u0663$$;" + DROP + ";SELECT 1 AS \u0663$$",
      "SELECT 1 AS a\u2003$$;" + DROP + ";SELECT 1 AS a\u2003$$",
      "SELECT 1 AS a\u3000$$;" + DROP + ";SELECT 1 AS a\u3000$$",
      "SELECT 'x\\'';" + DROP + ";SELECT 1 --'",
      "SELECT E'x\\'';" + DROP + ";--' AS id",
      "SELECT e'x\\\\';" + DROP,
      "SELECT $a$;$a$ AS id",
      "SELECT $a$ $b$;" + DROP + ";$b$ $a$ AS id",
      "SELECT $_1$;" + DROP + ";$_1$ AS id",
      "SELECT $1a$;" + DROP + ";$1a$ AS id",
      "SELECT 1 AS id -- ;" + DROP,
      "SELECT 1 AS id --\r" + DROP,
      "SELECT 1 AS id /* ; " + DROP + " */",
      "SELECT 1 AS id /* /* nested */ ; " + DROP + " */",
      "SELECT 1 AS id /* unterminated ; " + DROP,
      "SELECT \"a;b\" AS id FROM (SELECT 1 AS \"a;b\") x",
      "SELECT \"a\"\";" + DROP + ";\" AS id FROM (SELECT 1 AS \"a\"\";" + DROP + ";\") x",
      "SELECT 'unterminated; " + DROP,
      "SELECT 1 AS id\u0000; " + DROP,
      "SELECT U&'\\0041;' AS id",
      "SELECT U&'\\0027;' AS id; " + DROP + "; SELECT ''",
      DROP,
      "(SELECT 1 AS id)); " + DROP + "; SELECT ((1",
      "SELECT 1 AS id\\; " + DROP,
      "SELECT 'a'\n'b;' AS id; " + DROP,
      "SELECT 1 AS id WITH NO DATA; " + DROP,
      "SELECT 1 AS id\n-- the end\r");

  /** Partial-index predicates that try to end the CREATE INDEX and start another statement. */
  static final List<String> WHERES = List.of(
      "id > 0; " + DROP, "id > 0) ; " + DROP + "; CREATE INDEX x ON s.t ((1", "id > 0 --\r" + DROP,
      "id > 0 -- positive", "id > 0 /* ; " + DROP + " */", "id > 0 OR 'x\\'';" + DROP + ";--' = ''",
      "id > 0 OR $$;$$ = ''", "id > 0 OR \u0663$$ = $$;" + DROP + ";$$", "id > 0 AND a\u2003$$;" + DROP + ";$$",
      " ", "id > 0 /*", "id > 0 WITH NO DATA; " + DROP);

  private static final String[] SCHEMAS = {"s", "public"};
  /** The check of a field that leaves no trace of its own: the view exists. */
  private static final String EXISTS = "SELECT count(*) FROM pg_class WHERE oid = 's.target'::regclass AND ? IS NOT NULL";
  private static final QualifiedName TARGET = QualifiedName.of("s", "target");
  private static int tried;
  private static int refused;
  private static int created;

  @BeforeAll
  static void schema(TestDatabase db) {
    db.execute("CREATE SCHEMA s", "CREATE TABLE public.victim (id int)", "CREATE TABLE s.victim (id int)",
        "CREATE TABLE s.t (id int PRIMARY KEY, v int)", "INSERT INTO s.t SELECT g, g FROM generate_series(1, 5) g",
        "CREATE MATERIALIZED VIEW s.kept AS SELECT id FROM s.t", "COMMENT ON MATERIALIZED VIEW s.kept IS 'kept'");
  }

  @AfterAll
  static void counts() {
    Reliability.count("hostile inputs tried=" + tried + " refused=" + refused + " created exactly=" + created
        + " stray statements=0");
  }

  // ===== the Java API =====

  @Test
  void everyNameAndOptionFieldOfTheJavaApi(TestDatabase db) throws Exception {
    List<Field> fields = List.of(
        new Field("name", h -> ViewDefinition.materializedView(QualifiedName.of("s", h), "SELECT id FROM s.t").build(),
            "name", "SELECT count(*) FROM pg_class WHERE relnamespace = 's'::regnamespace AND relkind = 'm' AND relname = ?"),
        new Field("schema", h -> ViewDefinition.materializedView(QualifiedName.of(h, "target"), "SELECT id FROM s.t").build(),
            "schema", null),
        new Field("columnNames", h -> ViewDefinition.materializedView(TARGET, "SELECT id FROM s.t").columnNames(h).build(),
            "column name", "SELECT count(*) FROM pg_attribute WHERE attrelid = 's.target'::regclass AND attname = ?"),
        new Field("index column", h -> ViewDefinition.materializedView(TARGET, "SELECT id FROM s.t").columnNames(h)
                .index(IndexDefinition.on(h).build()).build(),
            "column", "SELECT count(*) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                + " AND a.attnum = i.indkey[0] WHERE i.indrelid = 's.target'::regclass AND a.attname = ?"),
        new Field("index name", h -> ViewDefinition.materializedView(TARGET, "SELECT id FROM s.t")
                .index(IndexDefinition.on("id").name(h).build()).build(),
            "name", "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " WHERE i.indrelid = 's.target'::regclass AND c.relname = ?"),
        new Field("index method", h -> ViewDefinition.materializedView(TARGET, "SELECT id FROM s.t")
                .index(IndexDefinition.on("id").method(h).build()).build(),
            "method", null),
        new Field("tablespace", h -> ViewDefinition.materializedView(TARGET, "SELECT id FROM s.t").tablespace(h).build(),
            "tablespace", null),
        new Field("storage parameter name", h -> ViewDefinition.materializedView(TARGET, "SELECT id FROM s.t")
            .storageParameter(h, "70").build(), "storage parameter", null),
        new Field("storage parameter value", h -> ViewDefinition.materializedView(TARGET, "SELECT id FROM s.t")
            .storageParameter("fillfactor", h).build(), "storage parameter", null),
        new Field("comment", h -> ViewDefinition.materializedView(TARGET, "SELECT id FROM s.t").comment(h).build(),
            "comment", "SELECT count(*) FROM pg_class WHERE oid = 's.target'::regclass"
                + " AND coalesce(obj_description(oid, 'pg_class'), '') = ?"),
        // A declared dependency on a relation that does not exist orders nothing: the view is made as declared.
        new Field("dependsOn", h -> ViewDefinition.materializedView(TARGET, "SELECT id FROM s.t").dependsOn(h).build(),
            "dependsOn", EXISTS),
        new Field("dependsOn parts", h -> ViewDefinition.materializedView(TARGET, "SELECT id FROM s.t")
            .dependsOn(QualifiedName.of("s", h)).build(), "depend", EXISTS));
    for (Field field : fields) {
      // Options that never reach a heading or a literal get the inputs that end comments, strings and statements.
      for (String input : field.printed() ? HOSTILE : HOSTILE.subList(0, 12)) {
        javaApi(db, field, input);
      }
    }
  }

  @Test
  void queriesAndIndexPredicates(TestDatabase db) throws Exception {
    Field query = new Field("query", q -> ViewDefinition.materializedView(TARGET, q).build(), "query", EXISTS);
    Field where = new Field("where", w -> ViewDefinition.materializedView(TARGET, "SELECT id FROM s.t")
        .index(IndexDefinition.on("id").where(w).build()).build(), "where",
        "SELECT count(*) FROM pg_index WHERE indrelid = 's.target'::regclass AND indpred IS NOT NULL AND ? IS NOT NULL");
    for (String input : QUERIES) {
      javaApi(db, query, input);
    }
    for (String input : WHERES) {
      javaApi(db, where, input);
    }
  }

  // ===== a Flyway view migration =====

  /** The inputs the host tools get: those that end a comment, a string, a quoted name or a statement, or read differently. */
  private static final List<String> TOOL_INPUTS = List.of(HOSTILE.get(0), HOSTILE.get(1), HOSTILE.get(8), HOSTILE.get(9),
      HOSTILE.get(10), HOSTILE.get(14), HOSTILE.get(15), HOSTILE.get(17));

  /** A view migration declaring what it is given; its version comes from its class name, its history from the run's schema. */
  public static final class V1__Hostile extends MaterializedViewMigration {
    private final Consumer<Views> declaration;

    V1__Hostile(Consumer<Views> declaration) {
      this.declaration = declaration;
    }

    @Override
    protected void declare(Views views) {
      declaration.accept(views);
    }
  }

  @Test
  void everyFieldOfAFlywayDeclaration(TestDatabase db) throws Exception {
    List<ToolField> fields = List.of(
        new ToolField("name", h -> "s.\"" + h.replace("\"", "\"\"") + "\"", "name", h -> "s", h -> h),
        new ToolField("unquoted name", h -> "s." + h, "name", null, null),
        new ToolField("comment", h -> h, "comment", h -> "s", h -> "target"),
        new ToolField("index name", h -> h, "name", h -> "s", h -> "target"),
        new ToolField("query", h -> "SELECT id FROM s.t WHERE " + h + " IS NOT NULL", "query", h -> "s", h -> "target"));
    int run = 0;
    for (ToolField field : fields) {
      for (String input : TOOL_INPUTS) {
        String value = field.text().apply(input);
        Consumer<Views> declaration = switch (field.label()) {
          case "name", "unquoted name" -> views -> views.materialized(value, "SELECT id FROM s.t");
          case "comment" -> views -> views.materialized("s.target", "SELECT id FROM s.t").comment(value);
          case "index name" -> views -> views.materialized("s.target", "SELECT id FROM s.t")
              .index(IndexDefinition.on("id").name(value).build());
          default -> views -> views.materialized("s.target", value);
        };
        String history = "flyway_" + ++run;
        tool(db, "Flyway " + field.label(), field, input, () -> Flyway.configure()
            .dataSource(db.jdbcUrl(), db.user(), db.password()).schemas(history).javaMigrations(new V1__Hostile(declaration))
            .load().migrate(),
            () -> db.value("SELECT to_regclass(?) IS NULL", history + ".flyway_schema_history").equals(Boolean.TRUE) ? 0L
                : db.<Long>value("SELECT count(*) FROM " + history + ".flyway_schema_history WHERE success AND version = '1'"));
        db.execute("DROP SCHEMA IF EXISTS " + history + " CASCADE");
      }
    }
  }

  /**
   * A field of a host tool's declaration: how the input is written there, what a refusal names,
   * and (null when PostgreSQL could not take it as a name) the schema and name of what it makes.
   */
  private record ToolField(String label, Function<String, String> text, String named, Function<String, String> schema,
      Function<String, String> name) {}

  private interface Run {
    void run() throws Exception;
  }

  private interface Count {
    long get() throws Exception;
  }

  /** One input through a host tool: refused with nothing recorded, or exactly the view it names, which is then dropped. */
  private void tool(TestDatabase db, String label, ToolField field, String input, Run run, Count recorded) throws Exception {
    tried++;
    try (Connection connection = db.connect()) {
      List<String> before = Reliability.state(connection, SCHEMAS);
      try {
        run.run();
      } catch (Exception e) {
        refused(connection, before, TARGET.toString(), label, field.named(), input, e);
        assertEquals(0L, recorded.get(), label + " " + visible(input) + " recorded as applied");
        return;
      }
      assertTrue(field.name() != null, label + " " + visible(input) + " was accepted");
      List<String> after = Reliability.state(connection, SCHEMAS);
      List<String> added = new ArrayList<>(after);
      added.removeAll(before);
      assertTrue(after.containsAll(before), label + " " + visible(input) + " changed what it did not name: " + added);
      assertEquals(2, added.size(), "one view and its rows: " + added);
      String schema = field.schema().apply(input);
      String name = field.name().apply(input);
      String comment = field.label().equals("comment") ? input : null;
      assertEquals(1L, db.<Long>value("SELECT count(*) FROM pg_class c WHERE c.relnamespace = ?::regnamespace"
          + " AND c.relname = ? AND c.relkind = 'm' AND (?::text IS NULL OR coalesce(obj_description(c.oid, 'pg_class'), '') = ?)",
          Identifiers.quote(schema), name, comment, comment), label + " " + visible(input));
      if (field.label().equals("index name")) {
        assertEquals(1L, db.<Long>value("SELECT count(*) FROM pg_class WHERE relname = ? AND relkind = 'i'", input));
      }
      assertEquals(1L, recorded.get(), label + " " + visible(input) + " not recorded");
      try (Statement statement = connection.createStatement()) {
        statement.execute("DROP MATERIALIZED VIEW " + Identifiers.quote(schema) + "." + Identifiers.quote(name));
      }
      assertEquals(before, Reliability.state(connection, SCHEMAS), label + " " + visible(input));
    }
    created++;
  }

  // ===== the Liquibase changes, in YAML, XML and JSON =====

  @Test
  void everyPropertyOfTheLiquibaseChangesInEachFormat(TestDatabase db) throws Exception {
    db.execute("CREATE SCHEMA lb");
    String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=lb";
    List<ToolField> fields = List.of(
        new ToolField("viewName", h -> h, "viewname", h -> "s", h -> h),
        new ToolField("schemaName", h -> h, "schema", null, null),
        new ToolField("comment", h -> h, "comment", h -> "s", h -> "target"),
        new ToolField("uniqueKey", h -> h, "uniquekey", null, null),
        new ToolField("selectQuery", h -> "SELECT id FROM s.t WHERE " + h + " IS NOT NULL", "query", h -> "s", h -> "target"),
        new ToolField("tablespace", h -> h, "tablespace", null, null),
        new ToolField("refresh viewNames", h -> h, "viewnames", null, null),
        new ToolField("drop viewName", h -> h, "viewname", null, null));
    int changeset = 0;
    for (String format : List.of("yaml", "xml", "json")) {
      for (int f = 0; f < fields.size(); f++) {
        ToolField field = fields.get(f);
        // Each format and property gets another of the inputs, so the three formats together try them all.
        String input = TOOL_INPUTS.get((f + 3 * List.of("yaml", "xml", "json").indexOf(format)) % TOOL_INPUTS.size());
        String id = "hostile-" + ++changeset;
        String changelog = Liquibase.changelog(changelog(format, id, field, field.text().apply(input)), format);
        tool(db, "Liquibase " + format + " " + field.label(), field, input, () -> Liquibase.update(url, db, changelog),
            () -> db.<Long>value("SELECT count(*) FROM lb.databasechangelog WHERE id = ?", id));
      }
    }
  }

  /** One changeset with one change whose property {@code field} is {@code value}, the rest ordinary. */
  private static String changelog(String format, String id, ToolField field, String value) {
    String change = field.label().startsWith("refresh") ? "refreshMaterializedViews"
        : field.label().startsWith("drop") ? "dropMaterializedView" : "createMaterializedView";
    List<String[]> properties = new ArrayList<>();
    properties.add(new String[] {"schemaName", field.label().equals("schemaName") ? value : "s"});
    switch (change) {
      case "refreshMaterializedViews" -> properties.add(new String[] {"viewNames", value});
      case "dropMaterializedView" -> properties.add(new String[] {"viewName", value});
      default -> {
        properties.add(new String[] {"viewName", field.label().equals("viewName") ? value : "target"});
        for (String property : List.of("comment", "uniqueKey", "tablespace")) {
          if (field.label().equals(property)) {
            properties.add(new String[] {property, value});
          }
        }
        properties.add(new String[] {"selectQuery", field.label().equals("selectQuery") ? value : "SELECT id FROM s.t"});
      }
    }
    return switch (format) {
      case "yaml" -> yaml(id, change, properties);
      case "json" -> json(id, change, properties);
      default -> xml(id, change, properties);
    };
  }

  private static String yaml(String id, String change, List<String[]> properties) {
    StringBuilder yaml = new StringBuilder("databaseChangeLog:\n  - changeSet:\n      id: " + id + "\n      author: test\n"
        + "      changes:\n        - " + change + ":\n");
    for (String[] property : properties) {
      yaml.append("            ").append(property[0]).append(": ").append(jsonString(property[1])).append('\n');
    }
    return yaml.toString();
  }

  private static String json(String id, String change, List<String[]> properties) {
    StringBuilder json = new StringBuilder("{\"databaseChangeLog\": [{\"changeSet\": {\"id\": \"" + id
        + "\", \"author\": \"test\", \"changes\": [{\"" + change + "\": {");
    for (int i = 0; i < properties.size(); i++) {
      json.append(i == 0 ? "" : ", ").append('"').append(properties.get(i)[0]).append("\": ").append(jsonString(properties.get(i)[1]));
    }
    return json.append("}}]}}]}\n").toString();
  }

  private static String xml(String id, String change, List<String[]> properties) {
    StringBuilder xml = new StringBuilder("""
        <databaseChangeLog
            xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
            xmlns:mview="http://mview.dev/xml/ns/mview"
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
            xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd
                                http://mview.dev/xml/ns/mview http://mview.dev/xml/ns/mview/mview-1.0.xsd">
        """).append("  <changeSet id=\"").append(id).append("\" author=\"test\">\n    <mview:").append(change);
    String query = null;
    for (String[] property : properties) {
      if (property[0].equals("selectQuery")) {
        query = property[1];
      } else {
        xml.append(' ').append(property[0]).append("=\"").append(xmlText(property[1])).append('"');
      }
    }
    xml.append(query == null ? "/>\n" : ">" + xmlText(query) + "</mview:" + change + ">\n");
    return xml.append("  </changeSet>\n</databaseChangeLog>\n").toString();
  }

  /** A JSON string (also a YAML double-quoted scalar): everything outside printable ASCII escaped. */
  private static String jsonString(String text) {
    StringBuilder out = new StringBuilder("\"");
    text.chars().forEach(c -> out.append(c == '"' || c == '\\' ? "\\" + (char) c
        : c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : Character.toString(c)));
    return out.append('"').toString();
  }

  private static String xmlText(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints().forEach(c -> out.append(c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '"' ? "&quot;"
        : c < 0x20 || c > 0x7e ? "&#x" + Integer.toHexString(c) + ";" : Character.toString(c)));
    return out.toString();
  }

  // ===== second order: names already in the catalog, read by mview and written back =====

  @Test
  void namesAlreadyInTheCatalogAreWrittenBackAsNames(TestDatabase db) throws Exception {
    db.execute("CREATE SCHEMA so", "CREATE TABLE so.t (id int PRIMARY KEY, v int)",
        "INSERT INTO so.t SELECT g, g FROM generate_series(1, 5) g", "CREATE MATERIALIZED VIEW so.root AS SELECT id, v FROM so.t");
    List<String> names = HOSTILE.stream().filter(h -> !h.isBlank() && h.indexOf('\0') < 0
        && h.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 63).toList();
    Set<String> roles = new LinkedHashSet<>();
    int objects = 0;
    for (int i = 0; i < names.size(); i++) {
      String h = names.get(i);
      String view = "so." + Identifiers.quote(h);
      String column = Identifiers.quote(h);
      db.execute("CREATE MATERIALIZED VIEW " + view + " AS SELECT id AS " + column + " FROM so.root",
          "COMMENT ON MATERIALIZED VIEW " + view + " IS " + Literals.string(h),
          "COMMENT ON COLUMN " + view + "." + column + " IS " + Literals.string(h));
      objects += 4;
      // Every other view has a unique index (a concurrent refresh) and a grantee of that name; the rest are swapped.
      if (i % 2 == 0) {
        db.execute("CREATE UNIQUE INDEX " + Identifiers.quote("k" + h) + " ON " + view + " (" + column + ")");
        String role = "r" + h;
        Reliability.roles(db, role);
        roles.add(role);
        db.execute("GRANT SELECT ON " + view + " TO " + Identifiers.quote(role));
        objects += 2;
      }
    }
    tried += objects;
    String[] schemas = {"so", "s", "public"};
    List<String> before = Reliability.state(db, schemas);
    ViewModel changed = ViewModel.of(ViewDefinition.materializedView("so.root", "SELECT id, v, 1 AS w FROM so.t").build());
    ViewModel back = ViewModel.of(ViewDefinition.materializedView("so.root", "SELECT id, v FROM so.t").build());
    try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
      // A rebuild of every reader of so.root, through the plan and then through its printed script.
      Plan forward = Reconciler.plan(connection, changed);
      assertTrue(forward.steps().size() > names.size(), forward.toScript());
      forward.execute(connection);
      assertEquals(withoutRoot(before), withoutRoot(Reliability.state(connection, schemas)));
      Reconciler.plan(connection, back).execute(connection);
      assertEquals(before, Reliability.state(connection, schemas));
      statement.execute(Reconciler.plan(connection, changed).toScript());
      assertEquals(withoutRoot(before), withoutRoot(Reliability.state(connection, schemas)));
      statement.execute(Reconciler.plan(connection, back).toScript());
      assertEquals(before, Reliability.state(connection, schemas));

      // Refreshes of the schema: concurrent where indexed, swapped elsewhere, and the refresh plan as a script.
      RefreshOptions swap = RefreshOptions.builder().schemas("so").swap(true).build();
      RefreshReport report = Refresher.refresh(connection, swap);
      assertEquals(names.size() + 1, report.results().size(), report.toString());
      for (RefreshResult result : report.results()) {
        assertEquals(RefreshOutcome.REFRESHED, result.outcome(), result.toString());
      }
      assertEquals(before, Reliability.state(connection, schemas));
      connection.setAutoCommit(false);
      String script = Refresher.plan(connection, RefreshOptions.builder().schemas("so").build()).toScript();
      connection.rollback();
      connection.setAutoCommit(true);
      statement.execute(script);
    }
    assertEquals(before, Reliability.state(db, schemas));
    assertEquals(List.of("public.victim", "s.victim"), Reliability.victims(db));
    created += objects;
    for (String role : roles) {
      db.execute("DROP OWNED BY " + Identifiers.quote(role), "DROP ROLE " + Identifiers.quote(role));
    }
  }

  /** The state without so.root's own lines, which a redefinition of it changes on purpose. */
  private static List<String> withoutRoot(List<String> state) {
    return state.stream().filter(line -> !line.startsWith("so.root ")).toList();
  }

  /** A field of a declaration: how to declare a view with the input there, what its message names, how to find what it made. */
  private record Field(String label, Function<String, ViewDefinition> declare, String named, String check) {
    /** Whether the field's text reaches a printed script's headings or literals: it gets every input. */
    boolean printed() {
      return check != null && !label.equals("index column") && !label.startsWith("dependsOn");
    }
  }

  private void javaApi(TestDatabase db, Field field, String input) throws Exception {
    tried++;
    try (Connection connection = db.connect()) {
      List<String> before = Reliability.state(connection, SCHEMAS);
      Plan plan;
      try {
        plan = Reconciler.plan(connection, ViewModel.of(field.declare().apply(input)));
        // Every other input goes in as the printed script, run by the driver as one script.
        if (tried % 2 == 0) {
          plan.execute(connection);
        } else {
          try (Statement statement = connection.createStatement()) {
            statement.execute(plan.toScript());
          } catch (java.sql.SQLException e) {
            // The server refused a statement of the script: the plan itself must refuse it too, saying why.
            assertEquals(before, Reliability.state(connection, SCHEMAS), field.label() + " " + visible(input));
            plan.execute(connection);
            fail(field.label() + " " + visible(input) + ": the script failed (" + e.getMessage() + ") but the plan ran:\n"
                + plan.toScript());
          }
        }
      } catch (MviewException e) {
        refused(connection, before, TARGET.toString(), field.label(), field.named(), input, e);
        return;
      }
      assertCreatedExactly(connection, before, field, input);
      plan.inverse().execute(connection);
      assertEquals(before, Reliability.state(connection, SCHEMAS), field.label() + " " + visible(input));
    }
    created++;
  }

  /** Refused, naming the view (unless the view's own name is what is refused) and the field; nothing changed. */
  private static void refused(Connection connection, List<String> before, String view, String label, String named,
      String input, Exception e) throws Exception {
    String message = messages(e).toLowerCase(Locale.ROOT);
    boolean ownName = label.endsWith("name") && !label.contains("index") || label.equals("schema") || label.endsWith("viewName") || label.endsWith("viewNames")
        || label.endsWith("schemaName");
    assertTrue(ownName || message.contains(view), label + " " + visible(input) + ": not naming the view: " + message);
    // The field by name, or (a value PostgreSQL refused) the value itself, which the server's message quotes.
    assertTrue(java.util.Arrays.stream(named.split("\\|")).anyMatch(message::contains) || !input.isBlank() && message.contains(input.toLowerCase(Locale.ROOT)),
        label + " " + visible(input) + ": not naming the field " + named + ": " + message);
    assertEquals(before, Reliability.state(connection, SCHEMAS), label + " " + visible(input));
    refused++;
  }

  private static void assertCreatedExactly(Connection connection, List<String> before, Field field, String input)
      throws Exception {
    List<String> after = Reliability.state(connection, SCHEMAS);
    List<String> added = new ArrayList<>(after);
    added.removeAll(before);
    assertTrue(after.containsAll(before), field.label() + " " + visible(input) + " changed what it did not name: " + added);
    assertEquals(2, added.size(), "one view and its rows: " + added);
    assertTrue(field.check() != null, field.label() + " " + visible(input) + " was accepted: " + added);
    try (PreparedStatement check = connection.prepareStatement(field.check())) {
      check.setString(1, input);
      try (ResultSet rows = check.executeQuery()) {
        assertTrue(rows.next() && rows.getLong(1) == 1, field.label() + " " + visible(input) + ": " + added);
      }
    }
  }

  /** The messages of {@code e} and its causes: the host tools wrap mview's message. */
  static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }

  static String visible(String text) {
    StringBuilder out = new StringBuilder("'");
    text.codePoints().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : Character.toString(c)));
    return out.append('\'').toString();
  }
}
