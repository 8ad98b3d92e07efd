package dev.mview.model;

import dev.mview.MviewException;
import dev.mview.internal.lexer.SqlToken;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An index on a materialized view: its key columns in order, unique or not, an optional partial
 * {@code WHERE} predicate and access method. A unique index on plain columns with no predicate is
 * what {@code REFRESH MATERIALIZED VIEW CONCURRENTLY} needs.
 *
 * <p>The name may be left out; the view then gives it a deterministic one (see
 * {@link #defaultName}), so the same declaration always yields the same index. An index is checked
 * when it is given to its view ({@link ViewDefinition.Builder#index}), so that every error names the
 * view as well as the index.
 */
public final class IndexDefinition {
  private final String name;
  private final List<String> columns;
  private final boolean unique;
  private final String where;
  private final String method;

  private IndexDefinition(Builder builder) {
    this.name = builder.name;
    this.columns = Collections.unmodifiableList(new ArrayList<>(builder.columns));
    this.unique = builder.unique;
    this.where = builder.where;
    this.method = builder.method;
  }

  /** Starts an index on {@code columns}, in key order. */
  public static Builder on(String... columns) {
    return on(List.of(columns));
  }

  /** Starts an index on {@code columns}, in key order. */
  public static Builder on(List<String> columns) {
    return new Builder(columns);
  }

  /** A unique index on {@code columns}: the kind concurrent refresh needs. */
  public static IndexDefinition unique(String... columns) {
    return on(columns).unique(true).build();
  }

  /** The declared name, or empty where the view derives it. */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /** The key columns, in key order. */
  public List<String> columns() {
    return columns;
  }

  /** Whether the index is unique. */
  public boolean isUnique() {
    return unique;
  }

  /** The partial-index predicate, as SQL, or empty. */
  public Optional<String> where() {
    return Optional.ofNullable(where);
  }

  /** The access method ({@code btree}, {@code hash}, ...), or empty for PostgreSQL's default. */
  public Optional<String> method() {
    return Optional.ofNullable(method);
  }

  /** True when {@code REFRESH ... CONCURRENTLY} can use this index: unique, not partial. */
  public boolean allowsConcurrentRefresh() {
    return unique && where == null;
  }

  /**
   * The name an unnamed index of {@code view} gets: {@code view_col1_col2_key} for unique indexes,
   * {@code ..._idx} otherwise, cut to PostgreSQL's 63-byte limit without splitting a character.
   */
  public String defaultName(QualifiedName view) {
    String suffix = unique ? "_key" : "_idx";
    String base = view.name() + "_" + String.join("_", columns);
    int budget = QualifiedName.MAX_IDENTIFIER_BYTES - suffix.length();
    StringBuilder cut = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < base.length(); ) {
      int codePoint = base.codePointAt(i);
      String character = new String(Character.toChars(codePoint));
      int size = character.getBytes(StandardCharsets.UTF_8).length;
      if (bytes + size > budget) {
        break;
      }
      cut.append(character);
      bytes += size;
      i += Character.charCount(codePoint);
    }
    return cut + suffix;
  }

  /** This index with {@code name} set. */
  public IndexDefinition withName(String name) {
    return toBuilder().name(name).build();
  }

  /** A builder holding this index, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(columns).name(name).unique(unique).where(where).method(method);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IndexDefinition other
        && Objects.equals(name, other.name)
        && columns.equals(other.columns)
        && unique == other.unique
        && Objects.equals(where, other.where)
        && Objects.equals(method, other.method);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, columns, unique, where, method);
  }

  @Override
  public String toString() {
    return (unique ? "unique " : "") + "index " + (name == null ? "" : name + " ") + "on " + columns
        + (where == null ? "" : " where " + where);
  }

  /**
   * This index checked as an index of {@code view}: at least one column, each a usable name and
   * none twice, a usable name and access method, and a predicate that is one SQL expression (its
   * trailing comment cut off).
   *
   * @throws MviewException of kind {@link MviewException.Kind#INVALID_DECLARATION} naming the view
   *     and the index
   */
  IndexDefinition checkedFor(QualifiedName view) {
    String what = "index " + (name == null ? "" : name + " ") + "on " + columns + " of view " + view;
    if (columns.isEmpty()) {
      throw new MviewException(MviewException.Kind.INVALID_DECLARATION, what + " has no columns: name at least one");
    }
    for (String column : columns) {
      QualifiedName.checkIdentifier(what + ": column", column);
    }
    if (new HashSet<>(columns).size() != columns.size()) {
      throw new MviewException(MviewException.Kind.INVALID_DECLARATION, what + " names a column twice");
    }
    if (name != null) {
      QualifiedName.checkIdentifier(what + ": name", name);
    }
    if (method != null) {
      QualifiedName.checkIdentifier(what + ": method", method);
    }
    Builder checked = toBuilder();
    if (where != null) {
      if (where.isBlank()) {
        throw new MviewException(MviewException.Kind.INVALID_DECLARATION, what + ": where must not be blank; pass null"
            + " for a full index");
      }
      checked.where(SqlToken.singleStatement(where, what + ": where '" + where + "'"));
    }
    return checked.build();
  }

  /** Builds an {@link IndexDefinition}; its view checks it ({@link ViewDefinition.Builder#index}). */
  public static final class Builder {
    private final List<String> columns;
    private String name;
    private boolean unique;
    private String where;
    private String method;

    private Builder(List<String> columns) {
      this.columns = columns == null ? List.of() : new ArrayList<>(columns);
    }

    /** The index name; null lets the view derive one. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Whether the index is unique (default false). */
    public Builder unique(boolean unique) {
      this.unique = unique;
      return this;
    }

    /** A partial-index predicate in SQL, for example {@code "amount > 0"}; null for none. */
    public Builder where(String predicate) {
      this.where = predicate;
      return this;
    }

    /** The access method, for example {@code "btree"} or {@code "hash"}; null for the default. */
    public Builder method(String method) {
      this.method = method;
      return this;
    }

    /** The index, to give to its view. */
    public IndexDefinition build() {
      return new IndexDefinition(this);
    }
  }
}
