package dev.mview.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mview.MviewException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ViewModelTest {

  private static ViewDefinition mv(String name, String query) {
    return ViewDefinition.materializedView(name, query).build();
  }

  private static List<String> names(List<ViewDefinition> views) {
    return views.stream().map(v -> v.name().toString()).toList();
  }

  @Test
  void infersDependenciesFromQueries() {
    ViewModel model = ViewModel.of(
        mv("s.c", "SELECT * FROM s.b JOIN s.a USING (id)"),
        mv("s.b", "SELECT id FROM s.a"),
        mv("s.a", "SELECT id FROM s.orders"));
    assertEquals(List.of("s.a", "s.b", "s.c"), names(model.createOrder()));
    assertEquals(List.of("s.c", "s.b", "s.a"), names(model.dropOrder()));
    assertEquals(Set.of(QualifiedName.of("s", "a"), QualifiedName.of("s", "b")),
        model.dependenciesOf(QualifiedName.of("s", "c")));
  }

  @Test
  void inferenceIgnoresStringsCommentsAndColumns() {
    ViewModel model = ViewModel.of(
        mv("s.a", "SELECT 1 AS id"),
        mv("s.b", """
            SELECT 'FROM s.a' AS text, -- FROM s.a
                   /* FROM s.a /* nested */ JOIN s.a */ $q$ FROM s.a $q$ AS d,
                   EXTRACT(YEAR FROM a) AS y, a.id
            FROM s.orders a"""));
    assertEquals(Set.of(), model.dependenciesOf(QualifiedName.of("s", "b")));
  }

  @Test
  void inferenceFindsSubqueriesJoinsAndQuotedNames() {
    ViewModel model = ViewModel.of(
        mv("\"S\".\"Order Totals\"", "SELECT 1 AS id"),
        mv("s.x", "SELECT 1 AS id"),
        mv("s.y", "SELECT 1 AS id"),
        mv("s.z", """
            SELECT * FROM (s.x NATURAL JOIN "S"."Order Totals") j
            WHERE id IN (SELECT id FROM S.Y)"""));
    assertEquals(Set.of(QualifiedName.of("S", "Order Totals"), QualifiedName.of("s", "x"), QualifiedName.of("s", "y")),
        model.dependenciesOf(QualifiedName.of("s", "z")));
  }

  @Test
  void unqualifiedReferenceMeansTheReadersSchemaThenPublic() {
    ViewModel model = ViewModel.of(
        mv("a", "SELECT 1 AS id"),
        mv("s.a", "SELECT 1 AS id"),
        mv("s.b", "SELECT * FROM a"),
        mv("t.c", "SELECT * FROM a"));
    assertEquals(Set.of(QualifiedName.of("s", "a")), model.dependenciesOf(QualifiedName.of("s", "b")));
    assertEquals(Set.of(QualifiedName.of("public", "a")), model.dependenciesOf(QualifiedName.of("t", "c")));
  }

  @Test
  void declaredDependenciesCount() {
    ViewModel model = ViewModel.of(
        ViewDefinition.materializedView("s.a", "SELECT 1").dependsOn("s.b").build(),
        mv("s.b", "SELECT 1"));
    assertEquals(List.of("s.b", "s.a"), names(model.createOrder()));
  }

  @Test
  void cycleErrorPrintsTheWholeCycle() {
    MviewException e = assertThrows(MviewException.class, () -> ViewModel.of(
        mv("s.a", "SELECT * FROM s.c"),
        mv("s.b", "SELECT * FROM s.a"),
        mv("s.c", "SELECT * FROM s.b"),
        mv("s.d", "SELECT * FROM s.a")));
    assertEquals("views depend on each other in a cycle: s.a -> s.c -> s.b -> s.a (each reads the"
        + " next); remove one of these references", e.getMessage());
  }

  @Test
  void duplicateViewIsRejected() {
    MviewException e = assertThrows(MviewException.class,
        () -> ViewModel.of(mv("s.a", "SELECT 1"), mv("S.A", "SELECT 2")));
    assertEquals("view s.a is declared twice: each view may appear once in a model; remove or"
        + " rename one of them", e.getMessage());
  }

  @Test
  void orderIsDeterministicWhateverTheDeclarationOrder() {
    List<ViewDefinition> views = List.of(
        mv("s.d", "SELECT * FROM s.b, s.c"), mv("s.c", "SELECT * FROM s.a"),
        mv("s.b", "SELECT * FROM s.a"), mv("s.a", "SELECT 1"), mv("s.e", "SELECT 1"));
    List<String> expected = List.of("s.a", "s.b", "s.c", "s.d", "s.e");
    assertEquals(expected, names(ViewModel.of(views).createOrder()));
    List<ViewDefinition> reversed = new java.util.ArrayList<>(views);
    java.util.Collections.reverse(reversed);
    assertEquals(expected, names(ViewModel.of(reversed).createOrder()));
  }

  @Test
  void fingerprintIgnoresDeclarationOrderButSeesEveryChange() {
    ViewDefinition a = mv("s.a", "SELECT 1 AS x");
    ViewDefinition b = mv("s.b", "SELECT x FROM s.a");
    String fingerprint = ViewModel.of(a, b).fingerprint();
    assertEquals(64, fingerprint.length());
    assertEquals(fingerprint, ViewModel.of(b, a).fingerprint());
    assertNotEquals(fingerprint, ViewModel.of(a, mv("s.b", "SELECT x + 1 FROM s.a")).fingerprint());
    assertNotEquals(fingerprint, ViewModel.of(a, b.toBuilder().comment("c").build()).fingerprint());
    assertNotEquals(fingerprint, ViewModel.of(a, b.toBuilder().withData(false).build()).fingerprint());
  }

  @Test
  void fingerprintReadsQueriesAsTokensNotAsText() {
    ViewDefinition view = ViewDefinition.materializedView("s.v", "SELECT id, 'a  b' AS t FROM s.orders WHERE n > 1")
        .index(IndexDefinition.on("id").where("n > 1").build()).build();
    String fingerprint = ViewModel.of(view).fingerprint();

    ViewDefinition respaced = ViewDefinition.materializedView("s.v", """
            select id,  -- the key
                   'a  b' AS t
            FROM   s.orders /* all of them */ WHERE n>1""")
        .index(IndexDefinition.on("id").where("n  >\n1").build()).build();
    assertEquals(fingerprint, ViewModel.of(respaced).fingerprint());
    assertNotEquals(fingerprint, ViewModel.of(mv("s.v", "SELECT id, 'a b' AS t FROM s.orders WHERE n > 1")).fingerprint(),
        "white space inside a literal is part of the value");
    assertNotEquals(fingerprint, ViewModel.of(ViewDefinition.materializedView("s.v", view.query())
        .index(IndexDefinition.on("id").where("n > 2").build()).build()).fingerprint());
    assertNotEquals(fingerprint, ViewModel.of(ViewDefinition.materializedView("s.v", view.query().replace("id", "\"ID\""))
        .index(IndexDefinition.on("id").where("n > 1").build()).build()).fingerprint());
  }
}
