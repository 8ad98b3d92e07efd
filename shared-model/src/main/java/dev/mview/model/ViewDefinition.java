package dev.mview.model;

import dev.mview.MviewException;
import dev.mview.internal.lexer.SqlToken;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One declared view: its qualified name, its query, and what PostgreSQL keeps beside it. Immutable;
 * made with {@link #materializedView} or {@link #view} and a {@link Builder} that rejects bad input
 * with a message naming the field and the view.
 *
 * <pre>{@code
 * ViewDefinition daily = ViewDefinition.materializedView("analytics.daily_sales",
 *         "SELECT day, sum(amount) AS total FROM sales GROUP BY day")
 *     .index(IndexDefinition.unique("day"))
 *     .comment("Sales per day")
 *     .build();
 * }</pre>
 */
public final class ViewDefinition {
  private static final Pattern STORAGE_PARAMETER = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");
  /** A number ({@code 70}, {@code -1}, {@code 0.2}, {@code 1e3}) or a word ({@code false}, {@code local}). */
  private static final Pattern BARE_VALUE = Pattern.compile(
      "[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?|[A-Za-z_][A-Za-z0-9_]*");

  private final QualifiedName name;
  private final ViewKind kind;
  private final String query;
  private final boolean withData;
  private final List<String> columnNames;
  private final String tablespace;
  private final Map<String, String> storageParameters;
  private final List<IndexDefinition> indexes;
  private final String comment;
  private final Set<QualifiedName> declaredDependencies;

  private ViewDefinition(Builder builder) {
    this.name = builder.name;
    this.kind = builder.kind;
    this.query = builder.query;
    this.withData = builder.withData;
    this.columnNames = List.copyOf(builder.columnNames);
    this.tablespace = builder.tablespace;
    this.storageParameters = Collections.unmodifiableMap(new LinkedHashMap<>(builder.storageParameters));
    this.indexes = List.copyOf(builder.indexes);
    this.comment = builder.comment;
    this.declaredDependencies = Collections.unmodifiableSet(new LinkedHashSet<>(builder.dependencies));
  }

  /** Starts a materialized view; {@code name} is read as SQL ({@code schema.name}, quotes allowed). */
  public static Builder materializedView(String name, String query) {
    return new Builder(QualifiedName.parse(name), ViewKind.MATERIALIZED_VIEW, query);
  }

  /** Starts a materialized view named by its stored parts. */
  public static Builder materializedView(QualifiedName name, String query) {
    return new Builder(name, ViewKind.MATERIALIZED_VIEW, query);
  }

  /** Starts a plain view; {@code name} is read as SQL ({@code schema.name}, quotes allowed). */
  public static Builder view(String name, String query) {
    return new Builder(QualifiedName.parse(name), ViewKind.VIEW, query);
  }

  /** Starts a plain view named by its stored parts. */
  public static Builder view(QualifiedName name, String query) {
    return new Builder(name, ViewKind.VIEW, query);
  }

  /** The qualified name, as stored. */
  public QualifiedName name() {
    return name;
  }

  /** Plain or materialized. */
  public ViewKind kind() {
    return kind;
  }

  /** Whether it is a materialized view. */
  public boolean isMaterialized() {
    return kind == ViewKind.MATERIALIZED_VIEW;
  }

  /** The query as declared, without a trailing semicolon or surrounding white space. */
  public String query() {
    return query;
  }

  /** For a materialized view: whether it is populated when created. Always true for a plain view. */
  public boolean withData() {
    return withData;
  }

  /** Output column names given in the view header, or empty to take the query's. */
  public List<String> columnNames() {
    return columnNames;
  }

  /** Materialized views only: the tablespace to store it in; empty for the default. */
  public Optional<String> tablespace() {
    return Optional.ofNullable(tablespace);
  }

  /** {@code WITH (...)} storage parameters, in declaration order. */
  public Map<String, String> storageParameters() {
    return storageParameters;
  }

  /** Indexes of a materialized view, each with its name resolved. */
  public List<IndexDefinition> indexes() {
    return indexes;
  }

  /** The comment ({@code COMMENT ON}); empty for none declared. */
  public Optional<String> comment() {
    return Optional.ofNullable(comment);
  }

  /**
   * Dependencies declared by hand, in addition to those found in the query. They may name tables
   * or views outside the model.
   */
  public Set<QualifiedName> declaredDependencies() {
    return declaredDependencies;
  }

  /** A builder holding this definition, to derive a changed copy. */
  public Builder toBuilder() {
    Builder builder = copyAs(name, query);
    indexes.forEach(builder::index);
    declaredDependencies.forEach(builder::dependsOn);
    return builder;
  }

  /**
   * A builder of a view like this one — kind, data, columns, tablespace, storage, comment — under
   * another name and query, without its indexes or declared dependencies: for building a
   * replacement beside the live view before it takes the view's place.
   */
  public Builder copyAs(QualifiedName otherName, String otherQuery) {
    Builder builder = new Builder(otherName, kind, otherQuery)
        .withData(withData)
        .columnNames(columnNames)
        .tablespace(tablespace)
        .comment(comment);
    storageParameters.forEach(builder::storageParameter);
    return builder;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ViewDefinition other
        && name.equals(other.name)
        && kind == other.kind
        && query.equals(other.query)
        && withData == other.withData
        && columnNames.equals(other.columnNames)
        && Objects.equals(tablespace, other.tablespace)
        && storageParameters.equals(other.storageParameters)
        && indexes.equals(other.indexes)
        && Objects.equals(comment, other.comment)
        && declaredDependencies.equals(other.declaredDependencies);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, kind, query, withData, columnNames, tablespace, storageParameters,
        indexes, comment, declaredDependencies);
  }

  @Override
  public String toString() {
    return kind.label() + " " + name;
  }

  /** Builds a {@link ViewDefinition}. Setters check their argument; {@link #build} checks the whole. */
  public static final class Builder {
    private final QualifiedName name;
    private final ViewKind kind;
    private final String query;
    private boolean withData = true;
    private final List<String> columnNames = new ArrayList<>();
    private String tablespace;
    private final Map<String, String> storageParameters = new LinkedHashMap<>();
    private final List<IndexDefinition> indexes = new ArrayList<>();
    private String comment;
    private final Set<QualifiedName> dependencies = new LinkedHashSet<>();

    private Builder(QualifiedName name, ViewKind kind, String query) {
      this.name = Objects.requireNonNull(name, "name");
      this.kind = Objects.requireNonNull(kind, "kind");
      this.query = checkQuery(name, query);
    }

    private static String checkQuery(QualifiedName name, String query) {
      String statement = SqlToken.singleStatement(query == null ? "" : query, "query of view " + name);
      if (statement.isEmpty()) {
        throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "query of view " + name + " is empty: give"
            + " the SELECT that defines it");
      }
      return statement;
    }

    /** Materialized views only: false creates it {@code WITH NO DATA} (not populated). */
    public Builder withData(boolean withData) {
      this.withData = withData;
      return this;
    }

    /** Output column names, replacing those of the query. */
    public Builder columnNames(String... columnNames) {
      return columnNames(List.of(columnNames));
    }

    /** Output column names, replacing those of the query. */
    public Builder columnNames(List<String> columnNames) {
      List<String> checked = new ArrayList<>();
      for (String column : columnNames) {
        checked.add(QualifiedName.checkIdentifier("column name of view " + name, column));
      }
      if (new HashSet<>(checked).size() != checked.size()) {
        throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "columnNames of view " + name + " " + checked + " name a column twice");
      }
      this.columnNames.clear();
      this.columnNames.addAll(checked);
      return this;
    }

    /** Materialized views only: the tablespace to store it in; null for the default. */
    public Builder tablespace(String tablespace) {
      this.tablespace = tablespace == null ? null
          : QualifiedName.checkIdentifier("tablespace of view " + name, tablespace);
      return this;
    }

    /**
     * A {@code WITH (...)} parameter, such as {@code fillfactor = 70} or
     * {@code autovacuum_enabled = false}; keys are lower case as PostgreSQL stores them.
     */
    public Builder storageParameter(String key, String value) {
      if (key == null || !STORAGE_PARAMETER.matcher(key).matches()) {
        throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "storage parameter of view " + name + " '" + key + "' is not a"
            + " parameter name: expected lower-case words such as fillfactor or toast.autovacuum_enabled");
      }
      if (value == null || !BARE_VALUE.matcher(value).matches()) {
        throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "storage parameter " + key + " of view " + name + " has value '"
            + value + "': expected a number (70, 0.2) or a word (true, local)");
      }
      storageParameters.put(key, value);
      return this;
    }

    /** Materialized views only: an index created with the view and kept across rebuilds. */
    public Builder index(IndexDefinition index) {
      indexes.add(Objects.requireNonNull(index, "index").checkedFor(name));
      return this;
    }

    /** The view's comment ({@code COMMENT ON}); null for none. */
    public Builder comment(String comment) {
      this.comment = comment;
      return this;
    }

    /** Declares that this view reads {@code relation} ({@code schema.name}), beyond its query. */
    public Builder dependsOn(String relation) {
      QualifiedName parsed;
      try {
        parsed = QualifiedName.parse(relation);
      } catch (MviewException e) {
        throw new MviewException(e.kind(), "dependsOn of view " + name + ": " + e.getMessage(), e);
      }
      return dependsOn(parsed);
    }

    /** Declares that this view reads {@code relation}, given by its stored parts. */
    public Builder dependsOn(QualifiedName relation) {
      if (relation.equals(name)) {
        throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "view " + name + " cannot depend on itself");
      }
      dependencies.add(relation);
      return this;
    }

    /** The definition, checked as a whole: plain views take no materialized-only options, index names are resolved and unique. */
    public ViewDefinition build() {
      if (kind == ViewKind.VIEW) {
        requireMaterialized(!withData, "withData(false)");
        requireMaterialized(tablespace != null, "tablespace");
        requireMaterialized(!indexes.isEmpty(), "indexes");
      }
      resolveIndexNames();
      return new ViewDefinition(this);
    }

    private void requireMaterialized(boolean used, String property) {
      if (used) {
        throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "view " + name + " is a plain view, which cannot have " + property
            + ": declare it with materializedView(...)");
      }
    }

    private void resolveIndexNames() {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < indexes.size(); i++) {
        IndexDefinition index = indexes.get(i);
        for (String column : index.columns()) {
          if (!columnNames.isEmpty() && !columnNames.contains(column)) {
            throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "index on view " + name + " names column '" + column
                + "', which is not among its columnNames " + columnNames);
          }
        }
        String resolved = index.name().orElseGet(() -> index.defaultName(name));
        if (!seen.add(resolved)) {
          throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "view " + name + " declares two indexes named " + resolved
              + ": give one of them another name");
        }
        indexes.set(i, index.withName(resolved));
      }
    }
  }
}
