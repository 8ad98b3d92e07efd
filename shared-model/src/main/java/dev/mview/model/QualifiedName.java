package dev.mview.model;

import dev.mview.MviewException;
import dev.mview.internal.lexer.SqlToken;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;

/**
 * A schema-qualified relation name, holding each part exactly as PostgreSQL stores it (case kept, no
 * quotes). {@link #of} takes the parts as stored; {@link #parse} reads SQL notation, folding unquoted
 * parts to lower case the way PostgreSQL does. Ordered by schema, then name.
 */
public record QualifiedName(String schema, String name) implements Comparable<QualifiedName> {
  /** The schema an unqualified name is placed in. */
  public static final String DEFAULT_SCHEMA = "public";

  /** PostgreSQL keeps at most this many bytes of an identifier (NAMEDATALEN - 1). */
  public static final int MAX_IDENTIFIER_BYTES = 63;

  private static final Comparator<QualifiedName> ORDER =
      Comparator.comparing(QualifiedName::schema).thenComparing(QualifiedName::name);

  public QualifiedName {
    checkIdentifier("schema", schema);
    checkIdentifier("name", name);
  }

  /** A name from its stored parts, for example {@code of("analytics", "Order Totals")}. */
  public static QualifiedName of(String schema, String name) {
    return new QualifiedName(schema, name);
  }

  /**
   * Reads {@code name}, {@code schema.name} or their quoted forms ({@code "Sales"."Order Totals"}).
   * Unquoted parts fold to lower case; an unqualified name goes to {@value #DEFAULT_SCHEMA}.
   */
  public static QualifiedName parse(String text) {
    if (text == null || text.isBlank()) {
      throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "view name must not be blank");
    }
    List<SqlToken> tokens;
    try {
      tokens = SqlToken.tokenize(text);
    } catch (MviewException e) {
      // The lexer's message says what is wrong, not with what: say it is this name.
      throw new MviewException(e.kind(), "view name '" + text + "' is not a name: " + e.getMessage(), e);
    }
    if (tokens.size() == 1 && tokens.get(0).isIdentifier()) {
      return of(DEFAULT_SCHEMA, tokens.get(0).text());
    }
    if (tokens.size() == 3 && tokens.get(0).isIdentifier() && tokens.get(1).isSymbol('.')
        && tokens.get(2).isIdentifier()) {
      return of(tokens.get(0).text(), tokens.get(2).text());
    }
    throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "'" + text + "' is not a view name: expected name or schema.name,"
        + " with double quotes around parts that contain spaces, dots or upper case");
  }

  /**
   * Checks one identifier the way PostgreSQL would store it. Shared by every model type so that all
   * name errors read alike.
   */
  static String checkIdentifier(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new MviewException(MviewException.Kind.INVALID_DECLARATION, field + " must not be blank");
    }
    if (value.indexOf('\0') >= 0) {
      throw new MviewException(MviewException.Kind.INVALID_DECLARATION, field + " '" + value.replace("\0", "\\0")
          + "' contains a NUL character, which PostgreSQL does not allow in names");
    }
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_IDENTIFIER_BYTES) {
      throw new MviewException(MviewException.Kind.INVALID_DECLARATION, field + " '" + value + "' is " + bytes + " bytes long; PostgreSQL"
          + " names are at most " + MAX_IDENTIFIER_BYTES + " bytes (it would silently truncate it)");
    }
    return value;
  }

  @Override
  public int compareTo(QualifiedName other) {
    return ORDER.compare(this, other);
  }

  /** {@code schema.name} as stored, unquoted: for messages, not for SQL. */
  @Override
  public String toString() {
    return schema + '.' + name;
  }
}
