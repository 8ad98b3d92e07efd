package dev.mview.sql;

import dev.mview.MviewException;
import dev.mview.model.QualifiedName;

/**
 * The one place where names become SQL text. {@link #quote} follows PostgreSQL's own
 * {@code quote_ident}: a name stays bare only when it is lower-case ASCII letters, digits and
 * underscores, does not start with a digit, and is not a keyword that would be read as syntax.
 */
public final class Identifiers {
  private Identifiers() {}

  /** Returns {@code identifier} as PostgreSQL must read it, double-quoted where needed. */
  public static String quote(String identifier) {
    if (identifier == null || identifier.isEmpty()) {
      throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "identifier must not be empty");
    }
    if (isSafeBare(identifier)) {
      return identifier;
    }
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** Returns {@code schema.name}, each part quoted where needed. */
  public static String quote(QualifiedName name) {
    return quote(name.schema()) + '.' + quote(name.name());
  }

  private static boolean isSafeBare(String identifier) {
    char first = identifier.charAt(0);
    if (!(first >= 'a' && first <= 'z') && first != '_') {
      return false;
    }
    for (int i = 1; i < identifier.length(); i++) {
      char c = identifier.charAt(i);
      if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '_') {
        return false;
      }
    }
    return !Keywords.needsQuoting(identifier);
  }
}
