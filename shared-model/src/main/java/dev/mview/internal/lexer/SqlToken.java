package dev.mview.internal.lexer;

import dev.mview.MviewException;
import java.util.ArrayList;
import java.util.List;

/**
 * A token of PostgreSQL SQL text, as far as mview needs to read it: identifiers (unquoted ones
 * folded to lower case, quoted ones kept), and single symbols. String literals, dollar-quoted
 * strings, numbers and comments are skipped, so names inside them are never mistaken for
 * references.
 */
public record SqlToken(Kind kind, String text) {
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

  /** The tokens of {@code sql}, comments and white space left out. */
  public static List<SqlToken> tokenize(String sql) {
    return new Lexer(sql).run();
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

  private static final class Lexer {
    private final String sql;
    private final List<SqlToken> tokens = new ArrayList<>();
    private int pos;

    Lexer(String sql) {
      this.sql = sql;
    }

    List<SqlToken> run() {
      while (pos < sql.length()) {
        char c = sql.charAt(pos);
        if (Character.isWhitespace(c)) {
          pos++;
        } else if (c == '-' && peek(1) == '-') {
          skipLineComment();
        } else if (c == '/' && peek(1) == '*') {
          skipBlockComment();
        } else if (c == '\'') {
          skipString(false);
        } else if ((c == 'e' || c == 'E') && peek(1) == '\'') {
          pos++;
          skipString(true);
        } else if (c == '"') {
          readQuotedIdentifier();
        } else if (c == '$' && dollarTagEnd() > 0) {
          skipDollarString();
        } else if (Character.isDigit(c)) {
          skipNumber();
        } else if (isIdentifierStart(c)) {
          readIdentifier();
        } else {
          tokens.add(new SqlToken(Kind.SYMBOL, String.valueOf(c)));
          pos++;
        }
      }
      return tokens;
    }

    private char peek(int ahead) {
      int at = pos + ahead;
      return at < sql.length() ? sql.charAt(at) : '\0';
    }

    private void skipLineComment() {
      while (pos < sql.length() && sql.charAt(pos) != '\n') {
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
          tokens.add(new SqlToken(Kind.LITERAL, sql.substring(start, pos)));
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
          tokens.add(new SqlToken(Kind.QUOTED_IDENTIFIER, name.toString()));
          return;
        } else {
          name.append(c);
          pos++;
        }
      }
      throw unterminated("quoted identifier", start);
    }

    /** The index just past a dollar-quote tag ({@code $$} or {@code $tag$}) at pos, or -1. */
    private int dollarTagEnd() {
      int at = pos + 1;
      while (at < sql.length() && sql.charAt(at) != '$') {
        char c = sql.charAt(at);
        if (!(Character.isLetterOrDigit(c) || c == '_') || (at == pos + 1 && Character.isDigit(c))) {
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
      tokens.add(new SqlToken(Kind.LITERAL, sql.substring(start, pos)));
    }

    private void skipNumber() {
      int start = pos;
      while (pos < sql.length()
          && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
        pos++;
      }
      tokens.add(new SqlToken(Kind.LITERAL, sql.substring(start, pos)));
    }

    private static boolean isIdentifierStart(char c) {
      return Character.isLetter(c) || c == '_' || c > 127;
    }

    private void readIdentifier() {
      int start = pos;
      while (pos < sql.length()) {
        char c = sql.charAt(pos);
        if (!(Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 127)) {
          break;
        }
        pos++;
      }
      // PostgreSQL folds only ASCII letters of unquoted identifiers.
      String word = sql.substring(start, pos);
      StringBuilder folded = new StringBuilder(word.length());
      for (char c : word.toCharArray()) {
        folded.append(c < 128 ? Character.toLowerCase(c) : c);
      }
      tokens.add(new SqlToken(Kind.IDENTIFIER, folded.toString()));
    }

    private MviewException unterminated(String what, int start) {
      String context = sql.substring(start, Math.min(sql.length(), start + 40));
      return new MviewException(MviewException.Kind.INVALID_DECLARATION, "unterminated " + what + " at character " + (start + 1)
          + ", starting: " + context);
    }
  }
}
