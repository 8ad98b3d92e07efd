package dev.mview.it.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.catalog.Catalog;
import dev.mview.catalog.Grant;
import dev.mview.catalog.LiveIndex;
import dev.mview.catalog.LiveView;
import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.TestDatabase;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewKind;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class CatalogTest {

  @BeforeAll
  static void schema(TestDatabase db) {
    db.execute(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'catalog_reader') THEN"
            + " CREATE ROLE catalog_reader; END IF; END $$",
        "CREATE SCHEMA s",
        "CREATE TABLE s.t (id int PRIMARY KEY, v numeric)",
        "INSERT INTO s.t SELECT i, i FROM generate_series(1, 10) i",
        "CREATE MATERIALIZED VIEW s.a WITH (fillfactor = 70) AS SELECT id, v FROM s.t",
        "CREATE UNIQUE INDEX a_id ON s.a (id)",
        "CREATE INDEX a_part ON s.a (v) WHERE v > 5",
        "CREATE INDEX a_expr ON s.a ((v * 2))",
        "CREATE VIEW s.b AS SELECT id, v * 2 AS w FROM s.a",
        "CREATE MATERIALIZED VIEW s.c AS SELECT id FROM s.b WITH NO DATA",
        "COMMENT ON MATERIALIZED VIEW s.c IS 'the c'",
        "COMMENT ON COLUMN s.c.id IS 'the id'",
        "GRANT SELECT ON s.c TO catalog_reader WITH GRANT OPTION",
        "GRANT UPDATE (w) ON s.b TO catalog_reader",
        "CREATE VIEW s.d AS SELECT 1 AS x");
  }

  @Test
  void readsViewsWithEverythingADropWouldLose(TestDatabase db) throws Exception {
    Catalog catalog;
    try (Connection connection = db.connect()) {
      connection.createStatement().execute("SET search_path = s, public");
      catalog = Catalog.read(connection);
      try (var rs = connection.createStatement().executeQuery("SHOW search_path")) {
        rs.next();
        assertEquals("s, public", rs.getString(1), "the caller's search_path is restored");
      }
    }
    LiveView a = catalog.view(QualifiedName.of("s", "a")).orElseThrow();
    assertEquals(ViewKind.MATERIALIZED_VIEW, a.kind());
    assertTrue(a.populated());
    assertEquals(Map.of("fillfactor", "70"), a.options());
    assertTrue(a.definition().contains("FROM s.t"), a.definition());
    assertEquals(List.of("a_expr", "a_id", "a_part"), a.indexes().stream().map(LiveIndex::name).toList());
    assertTrue(a.index("a_id").orElseThrow().allowsConcurrentRefresh());
    assertFalse(a.index("a_part").orElseThrow().allowsConcurrentRefresh());
    assertFalse(a.index("a_expr").orElseThrow().onPlainColumns());
    assertEquals("CREATE UNIQUE INDEX a_id ON s.a USING btree (id)", a.index("a_id").orElseThrow().definition());

    LiveView c = catalog.view(QualifiedName.of("s", "c")).orElseThrow();
    assertFalse(c.populated());
    assertEquals("the c", c.comment());
    assertEquals(Map.of("id", "the id"), c.columnComments());
    String owner = c.owner();
    assertEquals(List.of(new Grant("catalog_reader", "SELECT", null, true, owner)), c.grants());
    assertEquals(List.of(new Grant("catalog_reader", "UPDATE", "w", false, owner)),
        catalog.view(QualifiedName.of("s", "b")).orElseThrow().grants());

    assertEquals(Set.of(QualifiedName.of("s", "b"), QualifiedName.of("s", "c")),
        catalog.dependentsOf(QualifiedName.of("s", "a")));
    assertEquals(Set.of(QualifiedName.of("s", "t")), catalog.graph().upstreamOf(QualifiedName.of("s", "a")));
    assertEquals(List.of(QualifiedName.of("s", "a"), QualifiedName.of("s", "b"), QualifiedName.of("s", "c")),
        catalog.order(List.of(QualifiedName.of("s", "c"), QualifiedName.of("s", "a"), QualifiedName.of("s", "b"))));
    assertTrue(catalog.dependentsOf(QualifiedName.of("s", "d")).isEmpty());
  }

  /** Only the schema's views and what they read directly: s.a's own table stays out of the picture. */
  @Test
  void drawsTheViewsOfSomeSchemasWithWhatTheyRead(TestDatabase db) throws Exception {
    db.execute("CREATE SCHEMA other", "CREATE VIEW other.x AS SELECT id FROM s.a");
    Catalog catalog;
    try (Connection connection = db.connect()) {
      catalog = Catalog.read(connection);
    } finally {
      db.execute("DROP SCHEMA other CASCADE"); // the other test expects s.a's readers to be b and c
    }
    String mermaid = dev.mview.diagram.Diagram.of(catalog, List.of("other")).mermaid();
    assertEquals("""
        flowchart LR
          n0[("s.a<br/>refresh 1")]:::matview
          n1("other.x"):::view
          n0 --> n1
        """, mermaid.substring(0, mermaid.indexOf("  classDef")));
  }
}
