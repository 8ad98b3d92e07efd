package dev.mview.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mview.MviewException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewDefinitionTest {

  @Test
  void emptyQueryIsRejectedNamingTheView() {
    MviewException e = assertThrows(MviewException.class,
        () -> ViewDefinition.materializedView("analytics.daily", "  -- nothing here\n ;"));
    assertEquals("query of view analytics.daily is empty: give the SELECT that defines it", e.getMessage());
  }

  @Test
  void blankNameIsRejected() {
    MviewException e = assertThrows(MviewException.class, () -> ViewDefinition.view("  ", "SELECT 1"));
    assertEquals("view name must not be blank", e.getMessage());
    e = assertThrows(MviewException.class, () -> ViewDefinition.view(QualifiedName.of("public", " "), "SELECT 1"));
    assertEquals("name must not be blank", e.getMessage());
  }

  @Test
  void nameOverSixtyThreeBytesIsRejected() {
    String name = "ü".repeat(32); // 64 bytes in UTF-8, though only 32 characters
    MviewException e = assertThrows(MviewException.class, () -> QualifiedName.of("public", name));
    assertEquals("name '" + name + "' is 64 bytes long; PostgreSQL names are at most 63 bytes"
        + " (it would silently truncate it)", e.getMessage());
    assertEquals(63, QualifiedName.of("public", "a".repeat(63)).name().length());
  }

  @Test
  void secondStatementInQueryIsRejected() {
    MviewException e = assertThrows(MviewException.class,
        () -> ViewDefinition.view("v", "SELECT 1; DROP TABLE orders"));
    assertEquals("query of view public.v contains ';': it must be a single SQL expression or"
        + " SELECT statement; remove the ';' and anything after it", e.getMessage());
  }

  @Test
  void semicolonInsideStringIsPartOfTheQuery() {
    ViewDefinition view = ViewDefinition.view("v", "SELECT 'a;b' AS x;\n").build();
    assertEquals("SELECT 'a;b' AS x", view.query());
  }

  @Test
  void plainViewCannotHaveIndexes() {
    MviewException e = assertThrows(MviewException.class,
        () -> ViewDefinition.view("v", "SELECT 1 AS x").index(IndexDefinition.unique("x")).build());
    assertEquals("view public.v is a plain view, which cannot have indexes: declare it with"
        + " materializedView(...)", e.getMessage());
  }

  @Test
  void unnamedIndexesGetDeterministicNames() {
    ViewDefinition view = ViewDefinition.materializedView("s.daily", "SELECT 1 AS day, 2 AS shop")
        .index(IndexDefinition.unique("day", "shop"))
        .index(IndexDefinition.on("shop").build())
        .build();
    assertEquals(List.of("daily_day_shop_key", "daily_shop_idx"),
        view.indexes().stream().map(i -> i.name().orElseThrow()).toList());
  }

  @Test
  void derivedIndexNameIsCutToSixtyThreeBytes() {
    ViewDefinition view = ViewDefinition.materializedView("s." + "v".repeat(60), "SELECT 1 AS x")
        .index(IndexDefinition.unique("x")).build();
    String name = view.indexes().get(0).name().orElseThrow();
    assertEquals(63, name.length());
    assertEquals("_key", name.substring(59));
  }

  @Test
  void duplicateIndexNamesAreRejected() {
    MviewException e = assertThrows(MviewException.class,
        () -> ViewDefinition.materializedView("s.m", "SELECT 1 AS x")
            .index(IndexDefinition.on("x").name("i").build())
            .index(IndexDefinition.on("x").unique(true).name("i").build())
            .build());
    assertEquals("view s.m declares two indexes named i: give one of them another name", e.getMessage());
  }

  @Test
  void badStorageParameterIsRejectedNamingTheView() {
    MviewException e = assertThrows(MviewException.class,
        () -> ViewDefinition.materializedView("s.m", "SELECT 1").storageParameter("fillfactor", "70); DROP TABLE x; --"));
    assertEquals("storage parameter fillfactor of view s.m has value '70); DROP TABLE x; --': expected a number"
        + " (70, 0.2) or a word (true, local)", e.getMessage());
    for (String bad : new String[] {"--", "70--", "+", "1e", "'x'", "a b"}) {
      assertThrows(MviewException.class, () -> ViewDefinition.materializedView("s.m", "SELECT 1")
          .storageParameter("fillfactor", bad), bad);
    }
    for (String good : new String[] {"70", "-1", "0.2", ".5", "1e3", "false", "local"}) {
      ViewDefinition.materializedView("s.m", "SELECT 1").storageParameter("fillfactor", good);
    }
  }

  @Test
  void parseFoldsUnquotedPartsAndKeepsQuotedOnes() {
    assertEquals(QualifiedName.of("analytics", "daily"), QualifiedName.parse("Analytics.DAILY"));
    assertEquals(QualifiedName.of("Sales", "Order \"Totals\""), QualifiedName.parse("\"Sales\".\"Order \"\"Totals\"\"\""));
    assertEquals(QualifiedName.of("public", "ünïcode"), QualifiedName.parse("ünïcode"));
    assertThrows(MviewException.class, () -> QualifiedName.parse("a.b.c"));
  }

  @Test
  void aNameTheLexerCannotReadIsRefusedAsAName() {
    MviewException e = assertThrows(MviewException.class, () -> QualifiedName.parse("s.x\"; DROP TABLE t; --"));
    assertEquals("view name 's.x\"; DROP TABLE t; --' is not a name: unterminated quoted identifier at character 4,"
        + " starting: \"; DROP TABLE t; --", e.getMessage());
  }

  @Test
  void toBuilderRoundTrips() {
    ViewDefinition view = ViewDefinition.materializedView("s.m", "SELECT 1 AS x")
        .index(IndexDefinition.unique("x")).comment("c").storageParameter("fillfactor", "70")
        .withData(false).dependsOn("s.t").build();
    assertEquals(view, view.toBuilder().build());
  }
}
