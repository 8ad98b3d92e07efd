package dev.mview.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mview.model.QualifiedName;
import org.junit.jupiter.api.Test;

class IdentifiersTest {

  @Test
  void quotesExactlyWhenPostgresNeedsIt() {
    assertEquals("daily_sales", Identifiers.quote("daily_sales"));
    assertEquals("_x1", Identifiers.quote("_x1"));
    assertEquals("\"Order Totals\"", Identifiers.quote("Order Totals"));
    assertEquals("\"Daily\"", Identifiers.quote("Daily"));
    assertEquals("\"select\"", Identifiers.quote("select"));
    assertEquals("\"user\"", Identifiers.quote("user"));
    assertEquals("\"1st\"", Identifiers.quote("1st"));
    assertEquals("\"ünïcode\"", Identifiers.quote("ünïcode"));
    assertEquals("\"a\"\"b\"", Identifiers.quote("a\"b"));
    assertEquals("\"a$b\"", Identifiers.quote("a$b"));
    assertEquals("name", Identifiers.quote("name")); // an unreserved keyword stays bare
  }

  @Test
  void quotesEachPartOfAQualifiedName() {
    assertEquals("\"Sales\".\"select\"", Identifiers.quote(QualifiedName.of("Sales", "select")));
  }
}
