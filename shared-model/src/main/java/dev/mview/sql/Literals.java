package dev.mview.sql;

import java.util.List;
import java.util.StringJoiner;

/** The one place where text becomes an SQL constant, beside {@link Identifiers} for names. */
public final class Literals {
  private Literals() {}

  /**
   * A string constant that reads the same whatever {@code standard_conforming_strings} says: text
   * with a backslash is written as an escape string ({@code E'...'}), so the server never has to
   * guess what a backslash means.
   */
  public static String string(String text) {
    String quoted = text.replace("'", "''");
    return text.indexOf('\\') < 0 ? "'" + quoted + "'" : "E'" + quoted.replace("\\", "\\\\") + "'";
  }

  /** A {@code text[]} constant: {@code ARRAY['a', 'b']::text[]}, each element a {@link #string}. */
  public static String textArray(List<String> values) {
    StringJoiner array = new StringJoiner(", ", "ARRAY[", "]::text[]");
    values.forEach(value -> array.add(string(value)));
    return array.toString();
  }

  /**
   * An SQL line comment ({@code -- text}) that stays one line: PostgreSQL ends a {@code --}
   * comment at a line feed or a carriage return, so both (and the other line terminators a reader
   * might honour) become spaces. Without this, a name holding a carriage return would end the
   * comment and run as SQL.
   */
  public static String lineComment(String text) {
    StringBuilder line = new StringBuilder("-- ");
    text.codePoints().forEach(c -> line.appendCodePoint(isLineTerminator(c) ? ' ' : c));
    return line.toString();
  }

  private static boolean isLineTerminator(int c) {
    return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x85 || c == 0x2028 || c == 0x2029;
  }
}
