package dev.mview.plan;

import dev.mview.MviewException;
import dev.mview.internal.lexer.SqlToken;
import dev.mview.model.QualifiedName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * DDL statements that change tables views read ({@code ALTER TABLE orders ALTER COLUMN amount TYPE
 * numeric(12,2)}), for {@link Reconciler#planTableChange}: the views that stand in the way are
 * dropped before them and built again after, with everything they carry. Each statement is one SQL
 * statement. Statements mview cannot read (anything but {@code ALTER TABLE}, {@code CREATE INDEX},
 * {@code COMMENT}, {@code GRANT} and {@code REVOKE}) need the relations they change named
 * ({@link Builder#relation}): every view reading those is rebuilt. The reverse statements, when
 * given, undo the change ({@link Plan#inverse()}, rollbacks); without them the change cannot be
 * undone.
 */
public final class TableChange {
  private final List<String> statements;
  private final Set<QualifiedName> relations;
  private final List<String> reverse;

  private TableChange(Builder builder) {
    this.statements = List.copyOf(builder.statements);
    this.relations = Collections.unmodifiableSet(new LinkedHashSet<>(builder.relations));
    this.reverse = List.copyOf(builder.reverse);
  }

  /**
   * A change of {@code statements}, in order.
   *
   * @throws MviewException of kind {@link MviewException.Kind#INVALID_DECLARATION} when there are
   *     none, or one is not a single statement (naming it)
   */
  public static TableChange of(String... statements) {
    Builder builder = builder();
    for (String statement : statements) {
      builder.statement(statement);
    }
    return builder.build();
  }

  /** An empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The statements, each checked to be one statement, without a trailing {@code ;}. */
  public List<String> statements() {
    return statements;
  }

  /** The relations named as changed by statements mview cannot read; all their readers are rebuilt. */
  public Set<QualifiedName> relations() {
    return relations;
  }

  /** The statements that undo the change, in order; empty when not given. */
  public List<String> reverse() {
    return reverse;
  }

  /**
   * The change that undoes this one: the reverse statements, with these as theirs.
   *
   * @throws MviewException of kind {@link MviewException.Kind#IRREVERSIBLE} when no reverse
   *     statements were given
   */
  public TableChange inverse() {
    if (reverse.isEmpty()) {
      throw new MviewException(MviewException.Kind.IRREVERSIBLE, "the table change " + statements.get(0)
          + (statements.size() > 1 ? " (and " + (statements.size() - 1) + " more)" : "")
          + " cannot be undone: no reverse statements were given; give the DDL that undoes it");
    }
    Builder builder = builder();
    reverse.forEach(builder::statement);
    relations.forEach(builder::relation);
    statements.forEach(builder::reverse);
    return builder.build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TableChange other && statements.equals(other.statements) && relations.equals(other.relations)
        && reverse.equals(other.reverse);
  }

  @Override
  public int hashCode() {
    return Objects.hash(statements, relations, reverse);
  }

  @Override
  public String toString() {
    return String.join(";\n", statements);
  }

  /** Assembles a {@link TableChange}. */
  public static final class Builder {
    private final List<String> statements = new ArrayList<>();
    private final Set<QualifiedName> relations = new LinkedHashSet<>();
    private final List<String> reverse = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a statement to run.
     *
     * @throws MviewException of kind {@link MviewException.Kind#INVALID_DECLARATION} when it is
     *     not exactly one statement
     */
    public Builder statement(String sql) {
      statements.add(check(sql, "table change statement " + (statements.size() + 1)));
      return this;
    }

    /** Names a relation that a statement mview cannot read changes ({@code sales.orders}). */
    public Builder relation(String relation) {
      return relation(QualifiedName.parse(relation));
    }

    /** Names a relation that a statement mview cannot read changes. */
    public Builder relation(QualifiedName relation) {
      relations.add(Objects.requireNonNull(relation, "relation"));
      return this;
    }

    /** Adds a statement that undoes the change, run in the order added. */
    public Builder reverse(String sql) {
      reverse.add(check(sql, "reverse table change statement " + (reverse.size() + 1)));
      return this;
    }

    /**
     * The change.
     *
     * @throws MviewException of kind {@link MviewException.Kind#INVALID_DECLARATION} when it has
     *     no statement
     */
    public TableChange build() {
      if (statements.isEmpty()) {
        throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "a table change needs at least one statement");
      }
      return new TableChange(this);
    }

    private static String check(String sql, String what) {
      if (sql == null || sql.isBlank()) {
        throw new MviewException(MviewException.Kind.INVALID_DECLARATION, what + " must not be blank");
      }
      String statement = SqlToken.singleStatement(sql, what + " (" + abbreviated(sql) + ")",
          "a single SQL statement (give each statement on its own)");
      if (statement.isEmpty()) {
        throw new MviewException(MviewException.Kind.INVALID_DECLARATION, what + " holds no SQL, only comments");
      }
      return statement;
    }

    private static String abbreviated(String sql) {
      String line = sql.strip().replaceAll("\\s+", " ");
      return line.length() <= 60 ? line : line.substring(0, 57) + "...";
    }
  }
}
