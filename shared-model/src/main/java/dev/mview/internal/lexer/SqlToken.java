package dev.mview.internal.lexer;

import dev.mview.MviewException;
import java.util.ArrayList;
import java.util.List;

/**
 * A token of PostgreSQL SQL text, as far as mview needs to read it: identifiers (unquoted ones
 * folded to lower case, quoted ones kept), and single symbols. String literals, dollar-quoted
 * strings, numbers and comments are skipped, so names inside them are never mistaken for
 * references.
 *
 * <p>The lexer follows PostgreSQL's own ({@code src/backend/parser/scan.l}) where it decides what is
 * a string, a comment or a statement boundary: white space is ASCII only; every character at or
 * above U+0080 is an identifier character, non-ASCII digits and spaces included; digits are ASCII;
 * {@code $} continues an identifier, and a dollar-quote tag is {@code $}, an optional tag of
 * identifier characters without {@code $} that does not start with a digit, and {@code $}; a
 * {@code --} comment ends at a line feed or a carriage return; block comments nest; {@code E'...'}
 * strings take backslash escapes, and plain strings do when {@code standard_conforming_strings} is
 * off. The JDBC driver's statement splitter reads text the same way.
 */
public record SqlToken(Kind kind, String text, int start, int end) {
  /** A token whose place in the text does not matter (tests, comparisons). */
  public SqlToken(Kind kind, String text) {
    this(kind, text, -1, -1);
  }

  /** Whether {@code other} is the same token, wherever it stands. */
  public boolean sameAs(SqlToken other) {
    return kind == other.kind && text.equals(other.text);
  }

  /** What a token is. */
  public enum Kind { IDENTIFIER, QUOTED_IDENTIFIER, SYMBOL, LITERAL }

  /** An identifier, quoted or not. */
  public boolean isIdentifier() {
    return kind == Kind.IDENTIFIER || kind == Kind.QUOTED_IDENTIFIER;
  }

  /** The one-character symbol {@code symbol}. */
  public boolean isSymbol(char symbol) {
    return kind == Kind.SYMBOL && text.charAt(0) == symbol;
  }

  /** True for an unquoted identifier equal to {@code keyword} (given in lower case). */
  public boolean isKeyword(String keyword) {
    return kind == Kind.IDENTIFIER && text.equals(keyword);
  }

  /**
   * The tokens of {@code sql} as PostgreSQL reads it with {@code standard_conforming_strings} on
   * (its default), comments and white space left out.
   *
   * @throws MviewException of kind {@link MviewException.Kind#INVALID_DECLARATION} for an
   *     unterminated string, quoted identifier or comment
   */
  public static List<SqlToken> tokenize(String sql) {
    return tokenize(sql, true);
  }

  /** The tokens of {@code sql} under the given {@code standard_conforming_strings}. */
  public static List<SqlToken> tokenize(String sql, boolean standardConformingStrings) {
    Lexer lexer = new Lexer(sql, standardConformingStrings);
    lexer.run();
    return lexer.tokens;
  }

  /**
   * {@code sql} without what follows its last token (white space, comments, then semicolons and
   * more of those), after checking that it is one statement as PostgreSQL and the driver read it
   * whatever {@code standard_conforming_strings} says: no {@code ;} outside strings, quoted
   * identifiers and comments, and nothing unterminated, under either setting. Cutting the trailing
   * comment matters: a script appends {@code ;} after the text, which a {@code --} comment would
   * swallow.
   *
   * @param what names the text in the error, for example {@code query of view s.v}
   * @throws MviewException of kind {@link MviewException.Kind#INVALID_DECLARATION} otherwise
   */
  public static String singleStatement(String sql, String what) {
    return singleStatement(sql, what, "a single SQL expression or SELECT statement");
  }

  /**
   * {@link #singleStatement(String, String)}, saying in the error what the text must be instead
   * ({@code a single SQL statement}).
   */
  public static String singleStatement(String sql, String what, String expected) {
    String text = sql;
    while (true) {
      Lexer lexer = new Lexer(text, true);
      lexer.run(what);
      text = text.substring(0, lexer.lastTokenEnd).strip();
      if (!text.endsWith(";")) {
        break;
      }
      text = text.substring(0, text.length() - 1);
    }
    for (boolean standardConformingStrings : new boolean[] {true, false}) {
      Lexer lexer = new Lexer(text, standardConformingStrings);
      lexer.run(what);
      for (SqlToken token : lexer.tokens) {
        if (token.isSymbol(';')) {
          throw new MviewException(MviewException.Kind.INVALID_DECLARATION, what + " contains ';'"
              + (standardConformingStrings ? "" : " (when standard_conforming_strings is off, a backslash escapes a quote)")
              + ": it must be " + expected + "; remove the ';' and anything after it");
        }
      }
    }
    return text;
  }

  /**
   * {@code sql} as its tokens, each tagged with its kind and ended by a NUL (which SQL text cannot
   * hold): equal for two texts that differ only in comments, white space and the case of unquoted
   * words. A comparison key, not SQL to run.
   */
  public static String normalize(String sql) {
    StringBuilder normal = new StringBuilder();
    for (SqlToken token : tokenize(sql)) {
      normal.append(token.kind().ordinal()).append(token.text()).append('\0');
    }
    return normal.toString();
  }

  /** PostgreSQL's white space: space, tab, line feed, carriage return, form feed, vertical tab. */
  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
  }

  /** {@code [A-Za-z_]} and every character from U+0080 up. */
  static boolean isIdentifierStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
  }

  /** An identifier start, an ASCII digit or {@code $}. */
  static boolean isIdentifierPart(char c) {
    return isIdentifierStart(c) || isDigit(c) || c == '$';
  }

  /** ASCII digits only: {@code ٣} is an identifier character to PostgreSQL. */
  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static final class Lexer {
    private final String sql;
    private final boolean standardConformingStrings;
    private final List<SqlToken> tokens = new ArrayList<>();
    private int pos;
    private int lastTokenEnd;
    private String what;

    Lexer(String sql, boolean standardConformingStrings) {
      this.sql = sql;
      this.standardConformingStrings = standardConformingStrings;
    }

    void run(String what) {
      this.what = what;
      run();
    }

    void run() {
      while (pos < sql.length()) {
        char c = sql.charAt(pos);
        if (isSpace(c)) {
          pos++;
        } else if (c == '-' && peek(1) == '-') {
          skipLineComment();
        } else if (c == '/' && peek(1) == '*') {
          skipBlockComment();
        } else if (c == '\'') {
          skipString(!standardConformingStrings);
        } else if ((c == 'e' || c == 'E') && peek(1) == '\'') {
          pos++;
          skipString(true);
        } else if (c == '"') {
          readQuotedIdentifier();
        } else if (c == '$' && dollarTagEnd() > 0) {
          skipDollarString();
        } else if (isDigit(c) || (c == '.' && isDigit(peek(1)))) {
          skipNumber();
        } else if (isIdentifierStart(c)) {
          readIdentifier();
        } else {
          pos++;
          add(Kind.SYMBOL, String.valueOf(c), pos - 1);
        }
      }
    }

    private void add(Kind kind, String text, int start) {
      tokens.add(new SqlToken(kind, text, start, pos));
      lastTokenEnd = pos;
    }

    private char peek(int ahead) {
      int at = pos + ahead;
      return at < sql.length() ? sql.charAt(at) : '\0';
    }

    private void skipLineComment() {
      while (pos < sql.length() && sql.charAt(pos) != '\n' && sql.charAt(pos) != '\r') {
        pos++;
      }
    }

    private void skipBlockComment() {
      int depth = 0;
      int start = pos;
      while (pos < sql.length()) {
        if (sql.startsWith("/*", pos)) {
          depth++;
          pos += 2;
        } else if (sql.startsWith("*/", pos)) {
          depth--;
          pos += 2;
          if (depth == 0) {
            return;
          }
        } else {
          pos++;
        }
      }
      throw unterminated("comment", start);
    }

    private void skipString(boolean backslashEscapes) {
      int start = pos;
      pos++;
      while (pos < sql.length()) {
        char c = sql.charAt(pos);
        if (backslashEscapes && c == '\\') {
          pos += 2;
        } else if (c == '\'' && peek(1) == '\'') {
          pos += 2;
        } else if (c == '\'') {
          pos++;
          add(Kind.LITERAL, sql.substring(start, pos), start);
          return;
        } else {
          pos++;
        }
      }
      throw unterminated("string literal", start);
    }

    private void readQuotedIdentifier() {
      int start = pos;
      StringBuilder name = new StringBuilder();
      pos++;
      while (pos < sql.length()) {
        char c = sql.charAt(pos);
        if (c == '"' && peek(1) == '"') {
          name.append('"');
          pos += 2;
        } else if (c == '"') {
          pos++;
          add(Kind.QUOTED_IDENTIFIER, name.toString(), start);
          return;
        } else {
          name.append(c);
          pos++;
        }
      }
      throw unterminated("quoted identifier", start);
    }

    /**
     * The index just past a dollar-quote tag ({@code $$} or {@code $tag$}) at pos, or -1. Only ever
     * asked at the start of a token: a {@code $} right after an identifier character belongs to the
     * identifier, which the identifier reader has already taken.
     */
    private int dollarTagEnd() {
      int at = pos + 1;
      while (at < sql.length() && sql.charAt(at) != '$') {
        char c = sql.charAt(at);
        boolean allowed = at == pos + 1 ? isIdentifierStart(c) : isIdentifierStart(c) || isDigit(c);
        if (!allowed) {
          return -1;
        }
        at++;
      }
      return at < sql.length() ? at + 1 : -1;
    }

    private void skipDollarString() {
      int start = pos;
      String tag = sql.substring(pos, dollarTagEnd());
      int close = sql.indexOf(tag, pos + tag.length());
      if (close < 0) {
        throw unterminated("dollar-quoted string", start);
      }
      pos = close + tag.length();
      add(Kind.LITERAL, sql.substring(start, pos), start);
    }

    /**
     * {@code 12}, {@code 1.5}, {@code .5}, {@code 1e-3}: digits, an optional fraction and an
     * optional exponent, and no more. What follows is a token of its own, as PostgreSQL 14 reads
     * it ({@code 1e$$} is the number 1 and the identifier {@code e$$}; later versions refuse it), so
     * a letter or {@code $} after a number never opens a string here that PostgreSQL would not open.
     */
    private void skipNumber() {
      int start = pos;
      digits();
      if (peek(0) == '.' && peek(1) != '.') {
        pos++;
        digits();
      }
      if ((peek(0) == 'e' || peek(0) == 'E')
          && (isDigit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && isDigit(peek(2))))) {
        pos += 2;
        digits();
      }
      add(Kind.LITERAL, sql.substring(start, pos), start);
    }

    private void digits() {
      while (pos < sql.length() && isDigit(sql.charAt(pos))) {
        pos++;
      }
    }

    private void readIdentifier() {
      int start = pos;
      while (pos < sql.length() && isIdentifierPart(sql.charAt(pos))) {
        pos++;
      }
      // PostgreSQL folds only ASCII letters of unquoted identifiers.
      String word = sql.substring(start, pos);
      StringBuilder folded = new StringBuilder(word.length());
      for (char c : word.toCharArray()) {
        folded.append(c < 128 ? Character.toLowerCase(c) : c);
      }
      add(Kind.IDENTIFIER, folded.toString(), start);
    }

    private MviewException unterminated(String kind, int start) {
      String context = sql.substring(start, Math.min(sql.length(), start + 40));
      return new MviewException(MviewException.Kind.INVALID_DECLARATION, (what == null ? "" : what + ": ")
          + "unterminated " + kind + " at character " + (start + 1) + ", starting: " + context);
    }
  }
}
