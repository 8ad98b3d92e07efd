package dev.mview.internal.lexer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mview.MviewException;
import dev.mview.model.IndexDefinition;
import dev.mview.model.ViewDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lexer reads text as PostgreSQL's scanner and the JDBC driver's splitter do. Each case below
 * ran more than one statement through an earlier tokenizer that read it otherwise; the
 * integration suite checks the same against a live server and the driver with generated inputs.
 */
class SqlTokenTest {
  private static String single(String sql) {
    return SqlToken.singleStatement(sql, "query of view s.x");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // a non-ASCII digit is an identifier character: "٣$$" is one identifier, not a dollar quote
      "SELECT 1 AS ٣$$;DROP TABLE s.victim;CREATE MATERIALIZED VIEW s.x AS SELECT 1 AS ٣$$",
      // U+2003 and U+3000 are identifier characters, not white space
      "SELECT 1 AS a\u2003$$;DROP TABLE s.victim;SELECT $$",
      "SELECT 1 AS a\u3000$$;DROP TABLE s.victim;SELECT $$",
      // with standard_conforming_strings off a backslash escapes the quote
      "SELECT '\\'; DROP TABLE s.victim; SELECT ''",
      // a number ends before a letter: PostgreSQL 14 reads 1, then the identifier e$$
      "SELECT 1e$$;DROP TABLE s.victim;SELECT $$",
      // a -- comment ends at a carriage return
      "SELECT 1 --\r; DROP TABLE s.victim",
      "SELECT 1; DROP TABLE s.victim",
  })
  void moreThanOneStatementIsRefused(String sql) {
    MviewException e = assertThrows(MviewException.class, () -> single(sql));
    assertEquals(MviewException.Kind.INVALID_DECLARATION, e.kind());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT ';' AS semicolon",
      "SELECT $$;$$ AS dollar, $tag$ $$; $tag$ AS tagged, $٣$;$٣$ AS non_ascii_tag",
      "SELECT E'\\';' AS escaped",
      "SELECT \"a;b\" FROM t",
      "SELECT 1 /* ; /* nested ; */ still ; */ AS x",
      "SELECT 1 -- ;\n AS x",
      "SELECT a$$b FROM t",
  })
  void oneStatementIsKept(String sql) {
    assertEquals(sql, single(sql));
  }

  @Test
  void aTrailingCommentAndSemicolonsAreCutSoAScriptsSemicolonIsNotSwallowed() {
    assertEquals("SELECT 1", single("SELECT 1 -- the answer"));
    assertEquals("SELECT 1", single("  SELECT 1 ;; -- done\n /* really */ ; "));
    assertEquals("SELECT 1 AS x", ViewDefinition.materializedView("s.v", "SELECT 1 AS x -- note").build().query());
    ViewDefinition view = ViewDefinition.materializedView("s.v", "SELECT 1 AS x")
        .index(IndexDefinition.on("x").where("x > 0 -- positive").build()).build();
    assertEquals("x > 0", view.indexes().get(0).where().orElseThrow());
  }

  @Test
  void unterminatedTextIsRefusedUnderEitherSetting() {
    for (String sql : List.of("SELECT 'open", "SELECT $$open", "SELECT \"open", "SELECT /* open", "SELECT '\\'")) {
      MviewException e = assertThrows(MviewException.class, () -> single(sql), sql);
      assertEquals(MviewException.Kind.INVALID_DECLARATION, e.kind());
    }
  }

  @Test
  void tokensFollowPostgresqlsRules() {
    assertEquals(List.of("IDENTIFIER select", "IDENTIFIER ٣$$", "IDENTIFIER a\u2003b", "LITERAL 1", "IDENTIFIER e$",
            "QUOTED_IDENTIFIER Mixed\"Case"),
        SqlToken.tokenize("SELECT ٣$$ a\u2003b 1e$ \"Mixed\"\"Case\"").stream()
            .map(token -> token.kind() + " " + token.text()).toList());
    SqlToken quoted = SqlToken.tokenize("SELECT \"x\"").get(1);
    assertEquals(7, quoted.start());
    assertEquals(10, quoted.end());
  }

  @Test
  void relationReferencesAreRewrittenOnTheirTokensAndNothingElse() {
    String query = "SELECT a.x, 'FROM s.a' AS text FROM s.a JOIN s.b bee ON a.x = bee.x /* s.a */ WHERE a.x > 0";
    assertEquals("SELECT a.x, 'FROM s.a' AS text FROM \"Work\".a JOIN work.b bee ON a.x = bee.x /* s.a */"
        + " WHERE a.x > 0", QueryReferences.rewrite(query, reference -> switch (reference.name()) {
          case "a" -> "\"Work\".a";
          case "b" -> "work.b";
          default -> null;
        }));
  }

  @Test
  void anIndexErrorNamesTheViewAndTheIndex() {
    MviewException e = assertThrows(MviewException.class, () -> ViewDefinition.materializedView("s.v", "SELECT 1 AS x")
        .index(IndexDefinition.on("x").where("true); DROP TABLE s.victim; --").build()));
    assertEquals("index on [x] of view s.v: where 'true); DROP TABLE s.victim; --' contains ';': it must be a single"
        + " SQL expression or SELECT statement; remove the ';' and anything after it", e.getMessage());
    MviewException twice = assertThrows(MviewException.class, () -> ViewDefinition.materializedView("s.v", "SELECT 1")
        .index(IndexDefinition.unique("x", "x")));
    assertEquals("index on [x, x] of view s.v names a column twice", twice.getMessage());
  }

  @Test
  void aDependsOnErrorNamesTheView() {
    MviewException e = assertThrows(MviewException.class, () -> ViewDefinition.materializedView("s.v", "SELECT 1")
        .dependsOn("a.b.c"));
    assertEquals("dependsOn of view s.v: 'a.b.c' is not a view name: expected name or schema.name, with double quotes"
        + " around parts that contain spaces, dots or upper case", e.getMessage());
  }
}
