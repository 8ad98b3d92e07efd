package dev.mview.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mview.MviewException;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewKind;
import org.junit.jupiter.api.Test;

/** The statements a swap refresh is made of, as golden text. */
class DdlSwapStatementsTest {
  private static final QualifiedName VIEW = QualifiedName.of("s", "Sales");
  private static final QualifiedName COPY = QualifiedName.of("s", "mview_swap_16384");

  @Test
  void grantsRelationAndColumnPrivilegesToRolesAndPublic() {
    assertEquals("GRANT SELECT ON s.\"Sales\" TO reader WITH GRANT OPTION",
        Ddl.grant(VIEW, "SELECT", null, "reader", true));
    assertEquals("GRANT SELECT (\"Total\") ON s.\"Sales\" TO PUBLIC", Ddl.grant(VIEW, "SELECT", "Total", null, false));
    // A role named PUBLIC is a role, not everyone.
    assertEquals("GRANT SELECT ON s.\"Sales\" TO \"PUBLIC\"", Ddl.grant(VIEW, "SELECT", null, "PUBLIC", false));
    assertEquals("GRANT MAINTAIN ON s.\"Sales\" TO \"Ops Team\"", Ddl.grant(VIEW, "MAINTAIN", null, "Ops Team", false));
    assertThrows(MviewException.class, () -> Ddl.grant(VIEW, "SELECT; DROP", null, "x", false));
  }

  @Test
  void ownerCommentsRenamesAndAnalyze() {
    assertEquals("ALTER MATERIALIZED VIEW s.\"Sales\" OWNER TO \"Owner\"", Ddl.alterOwner(VIEW, ViewKind.MATERIALIZED_VIEW, "Owner"));
    assertEquals("COMMENT ON COLUMN s.\"Sales\".total IS 'it''s'", Ddl.commentOnColumn(VIEW, "total", "it's"));
    assertEquals("ALTER MATERIALIZED VIEW s.mview_swap_16384 RENAME TO \"Sales\"",
        Ddl.rename(COPY, ViewKind.MATERIALIZED_VIEW, "Sales"));
    assertEquals("ALTER INDEX s.mview_swap_16384_1 RENAME TO \"Sales_pkey\"",
        Ddl.renameIndex(QualifiedName.of("s", "mview_swap_16384_1"), "Sales_pkey"));
    assertEquals("ANALYZE s.mview_swap_16384", Ddl.analyze(COPY));
  }

  @Test
  void copiesAnIndexDefinitionOntoAnotherRelationUnderAnotherName() {
    assertEquals("CREATE UNIQUE INDEX mview_swap_16384_1 ON s.mview_swap_16384 USING btree (id) WHERE (id > 0)",
        Ddl.copyIndex("CREATE UNIQUE INDEX \"Sales id\" ON s.\"Sales\" USING btree (id) WHERE (id > 0)", VIEW,
            "Sales id", COPY, "mview_swap_16384_1", null, "(id > 0)"));
    assertEquals("CREATE INDEX i2 ON s.mview_swap_16384 USING btree (id) TABLESPACE fast WHERE (id > 0)",
        Ddl.copyIndex("CREATE INDEX i ON s.\"Sales\" USING btree (id) WHERE (id > 0)", VIEW, "i", COPY, "i2",
            "fast", "(id > 0)"));
    assertEquals("CREATE INDEX i2 ON s.mview_swap_16384 USING gin (tags) TABLESPACE fast",
        Ddl.copyIndex("CREATE INDEX i ON s.\"Sales\" USING gin (tags)", VIEW, "i", COPY, "i2", "fast", null));
    assertThrows(MviewException.class,
        () -> Ddl.copyIndex("CREATE INDEX other ON s.\"Sales\" USING btree (id)", VIEW, "i", COPY, "i2", null, null));
  }

  /**
   * {@code system_user} and {@code json} are keywords from PostgreSQL 16 on: the pg_get_indexdef of
   * a 14 or 15 server leaves them bare where mview quotes them (the union of 14 to 18).
   */
  @Test
  void acceptsNamesTheServerLeftBareOrQuotedWhereMviewWouldNot() {
    QualifiedName json = QualifiedName.of("s", "json");
    assertEquals("CREATE INDEX i2 ON s.mview_swap_16384 USING btree (id)",
        Ddl.copyIndex("CREATE INDEX system_user ON s.json USING btree (id)", json, "system_user", COPY, "i2",
            null, null));
    assertEquals("CREATE UNIQUE INDEX i2 ON s.mview_swap_16384 USING btree (id)",
        Ddl.copyIndex("CREATE UNIQUE INDEX \"system_user\" ON s.json USING btree (id)", json, "system_user", COPY,
            "i2", null, null));
    // a word no server treats as a keyword yet, quoted by a newer one
    assertEquals("CREATE INDEX i2 ON s.mview_swap_16384 USING btree (id)",
        Ddl.copyIndex("CREATE INDEX \"ix\" ON \"s\".sales USING btree (id)", QualifiedName.of("s", "sales"), "ix",
            COPY, "i2", null, null));
    // names that are not plain lower-case words only ever appear quoted
    assertThrows(MviewException.class,
        () -> Ddl.copyIndex("CREATE INDEX Ix ON s.Sales USING btree (id)", VIEW, "Ix", COPY, "i2", null, null));
  }
}
