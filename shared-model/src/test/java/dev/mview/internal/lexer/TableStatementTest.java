package dev.mview.internal.lexer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which columns a DDL statement changes, read from its tokens. */
class TableStatementTest {
  @Test
  void readsTypeChangesDropsAndRenamesOfOneTable() {
    TableStatement read = TableStatement.read("ALTER TABLE IF EXISTS ONLY shop.\"Orders\" ALTER COLUMN amount TYPE"
        + " numeric(12, 2) USING round(amount, 2), ALTER note SET DATA TYPE varchar(10), DROP COLUMN IF EXISTS old"
        + " CASCADE, RENAME COLUMN \"Total\" TO total");

    assertEquals(new TableStatement(true, List.of("shop", "Orders"), List.of("amount", "note"), List.of("old"),
        List.of(List.of("Total", "total")), null, null), read);
  }

  @Test
  void addingAColumnAConstraintOrADefaultChangesNoColumnAViewReads() {
    assertEquals(new TableStatement(true, List.of("orders"), List.of(), List.of(), List.of(), null, null),
        TableStatement.read("alter table orders add column c int default 0, alter column amount set default 1,"
            + " alter column amount drop not null, add constraint c_positive check (c >= 0), drop constraint x"));
    assertEquals(new TableStatement(true, List.of("orders"), List.of(), List.of(), List.of(), "orders_2026", null),
        TableStatement.read("ALTER TABLE orders RENAME TO orders_2026"));
    assertEquals(new TableStatement(true, List.of("s", "orders"), List.of(), List.of(), List.of(), null, null),
        TableStatement.read("CREATE UNIQUE INDEX IF NOT EXISTS o_amount ON ONLY s.orders USING btree (amount)"));
  }

  @Test
  void anActionItDoesNotKnowIsNamedSoEveryViewOfTheTableIsRebuilt() {
    assertEquals("ALTER COLUMN amount",
        TableStatement.read("ALTER TABLE orders ALTER COLUMN amount ADD GENERATED ALWAYS AS IDENTITY, ALTER amount"
            + " SET NOT NULL, ALTER COLUMN amount FROBNICATE").unknownAction());
    assertNull(TableStatement.read("ALTER TABLE orders ATTACH PARTITION p FOR VALUES IN (1)").unknownAction());
    assertEquals("SPLIT", TableStatement.read("ALTER TABLE orders SPLIT PARTITION p INTO (q)").unknownAction());
  }

  @Test
  void otherStatementsCannotBeRead() {
    assertFalse(TableStatement.read("UPDATE orders SET amount = 0").readable());
    assertFalse(TableStatement.read("DROP TABLE orders").readable());
    assertFalse(TableStatement.read("ALTER TABLE").readable());
    assertFalse(TableStatement.read("ALTER TABLE orders").readable());
    assertFalse(TableStatement.read("ALTER TABLE IF orders DROP x").readable());
  }

  @Test
  void namesInStringsAndCommentsAreNotColumns() {
    assertEquals(List.of("amount"), TableStatement.read("ALTER TABLE orders /* DROP COLUMN note */ ALTER COLUMN amount"
        + " TYPE numeric USING (amount || ', DROP COLUMN x')::numeric -- , DROP COLUMN y").retyped());
    assertEquals(List.of(), TableStatement.read("ALTER TABLE orders /* DROP COLUMN note */ ALTER COLUMN amount"
        + " TYPE numeric USING (amount || ', DROP COLUMN x')::numeric -- , DROP COLUMN y").dropped());
  }
}
