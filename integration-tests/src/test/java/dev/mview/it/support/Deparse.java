package dev.mview.it.support;

import java.util.regex.Pattern;

/**
 * Query texts as PostgreSQL 16 and later print them. PostgreSQL 14 and 15 print each column of a
 * query over one relation with the relation's name in front ({@code paid_orders.amount}); 16 and
 * later leave it off. Tests that compare printed definitions with expected texts, written as 16 and
 * later print them, pass what the server printed through here.
 */
public final class Deparse {
  private Deparse() {}

  /** {@code text} with the {@code relation.} prefixes taken off where {@code db}'s server prints them. */
  public static String likePg16(TestDatabase db, String text, String... relations) {
    if (db.majorVersion() >= 16) {
      return text;
    }
    String result = text;
    for (String relation : relations) {
      // Not after a dot: "public.paid_orders" keeps its schema, and "x.paid_orders.y" cannot occur.
      result = result.replaceAll("(?<![.\\w\"])" + Pattern.quote(relation) + "\\.(?=[\\w\"])", "");
    }
    return result;
  }
}
