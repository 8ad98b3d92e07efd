package dev.mview.model;

import dev.mview.MviewException;
import dev.mview.internal.lexer.QueryReferences;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 * {@link #defaultName}), so the same declaration always yields the same index.
 */
public final class IndexDefinition {
  private final String name;
  private final List<String> columns;
  private final boolean unique;
  private final String where;
  private final String method;

  private IndexDefinition(Builder builder) {
    this.name = builder.name;
    this.columns = List.copyOf(builder.columns);
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

  /** Builds an {@link IndexDefinition}; every setter checks its argument. */
  public static final class Builder {
    private final List<String> columns;
    private String name;
    private boolean unique;
    private String where;
    private String method;

    private Builder(List<String> columns) {
      if (columns == null || columns.isEmpty()) {
        throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "index columns must not be empty: name at least one column");
      }
      List<String> checked = new ArrayList<>();
      for (String column : columns) {
        checked.add(QualifiedName.checkIdentifier("index column", column));
      }
      if (new HashSet<>(checked).size() != checked.size()) {
        throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "index columns " + checked + " name a column twice");
      }
      this.columns = checked;
    }

    /** The index name; null lets the view derive one. */
    public Builder name(String name) {
      this.name = name == null ? null : QualifiedName.checkIdentifier("index name", name);
      return this;
    }

    /** Whether the index is unique (default false). */
    public Builder unique(boolean unique) {
      this.unique = unique;
      return this;
    }

    /** A partial-index predicate in SQL, for example {@code "amount > 0"}; null for none. */
    public Builder where(String predicate) {
      if (predicate != null && predicate.isBlank()) {
        throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "index where must not be blank: pass null for a full index");
      }
      if (predicate != null) {
        QueryReferences.requireSingleStatement(predicate, "index where '" + predicate + "'");
      }
      this.where = predicate == null ? null : predicate.strip();
      return this;
    }

    /** The access method, for example {@code "btree"} or {@code "hash"}; null for the default. */
    public Builder method(String method) {
      this.method = method == null ? null : QualifiedName.checkIdentifier("index method", method);
      return this;
    }

    /** The index. */
    public IndexDefinition build() {
      return new IndexDefinition(this);
    }
  }
}
