package dev.mview.internal.sql;

import dev.mview.MviewException;
import dev.mview.model.IndexDefinition;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewKind;
import dev.mview.sql.Identifiers;
import dev.mview.sql.Literals;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Renders PostgreSQL DDL for views. Every name goes through {@link Identifiers#quote}; statements
 * carry no trailing semicolon (a script adds it).
 */
public final class Ddl {
  private Ddl() {}

  /** Privileges a view or materialized view can carry; anything else is refused, not rendered. */
  private static final Set<String> PRIVILEGES = Set.of(
      "SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "MAINTAIN");

  /** Everything that creates {@code view}: the view, its indexes, its comment. */
  public static List<String> create(ViewDefinition view) {
    List<String> statements = new ArrayList<>();
    statements.add(createView(view));
    for (IndexDefinition index : view.indexes()) {
      statements.add(createIndex(view.name(), index));
    }
    view.comment().ifPresent(comment -> statements.add(comment(view.name(), view.kind(), comment)));
    return statements;
  }

  /** {@code CREATE [MATERIALIZED] VIEW ... [WITH (...)] [TABLESPACE ...] AS ... [WITH [NO] DATA]}. */
  public static String createView(ViewDefinition view) {
    StringBuilder sql = new StringBuilder("CREATE ").append(keyword(view.kind())).append(' ')
        .append(Identifiers.quote(view.name()));
    if (!view.columnNames().isEmpty()) {
      sql.append(' ').append(columnList(view.columnNames()));
    }
    if (!view.storageParameters().isEmpty()) {
      StringJoiner options = new StringJoiner(", ", "WITH (", ")");
      view.storageParameters().forEach((key, value) -> options.add(key + " = " + value));
      sql.append('\n').append(options);
    }
    view.tablespace().ifPresent(space -> sql.append("\nTABLESPACE ").append(Identifiers.quote(space)));
    sql.append(" AS\n").append(view.query());
    if (view.isMaterialized()) {
      sql.append(view.withData() ? "\nWITH DATA" : "\nWITH NO DATA");
    }
    return sql.toString();
  }

  /** {@code CREATE [UNIQUE] INDEX name ON view [USING method] (columns) [WHERE ...]}. */
  public static String createIndex(QualifiedName view, IndexDefinition index) {
    StringBuilder sql = new StringBuilder("CREATE ");
    if (index.isUnique()) {
      sql.append("UNIQUE ");
    }
    sql.append("INDEX ").append(Identifiers.quote(index.name().orElseGet(() -> index.defaultName(view))))
        .append(" ON ").append(Identifiers.quote(view));
    index.method().ifPresent(method -> sql.append(" USING ").append(Identifiers.quote(method)));
    sql.append(' ').append(columnList(index.columns()));
    index.where().ifPresent(predicate -> sql.append(" WHERE ").append(predicate));
    return sql.toString();
  }

  /** {@code COMMENT ON [MATERIALIZED] VIEW name IS '...'}; a null comment removes it. */
  public static String comment(QualifiedName view, ViewKind kind, String comment) {
    return "COMMENT ON " + keyword(kind) + ' ' + Identifiers.quote(view) + " IS "
        + (comment == null ? "NULL" : Literals.string(comment));
  }

  /** {@code DROP [MATERIALIZED] VIEW [IF EXISTS] name [CASCADE]}. */
  public static String drop(QualifiedName view, ViewKind kind, boolean ifExists, boolean cascade) {
    return "DROP " + keyword(kind) + (ifExists ? " IF EXISTS " : " ") + Identifiers.quote(view)
        + (cascade ? " CASCADE" : "");
  }

  /** {@code REFRESH MATERIALIZED VIEW [CONCURRENTLY] name [WITH NO DATA]}. */
  public static String refresh(QualifiedName view, boolean concurrently, boolean withData) {
    return "REFRESH MATERIALIZED VIEW " + (concurrently ? "CONCURRENTLY " : "")
        + Identifiers.quote(view) + (withData ? "" : " WITH NO DATA");
  }

  /** {@code ALTER [MATERIALIZED] VIEW name OWNER TO role}. */
  public static String alterOwner(QualifiedName view, ViewKind kind, String owner) {
    return "ALTER " + keyword(kind) + ' ' + Identifiers.quote(view) + " OWNER TO " + Identifiers.quote(owner);
  }

  /**
   * {@code GRANT privilege [(column)] ON name TO grantee [WITH GRANT OPTION]}; a null
   * {@code grantee} is {@code PUBLIC}, every role. A role named {@code PUBLIC} is quoted like any
   * other name, so it never turns into everyone.
   */
  public static String grant(QualifiedName relation, String privilege, String column, String grantee,
      boolean withGrantOption) {
    return "GRANT " + privilege(privilege) + (column == null ? "" : " (" + Identifiers.quote(column) + ")") + " ON "
        + Identifiers.quote(relation) + " TO " + (grantee == null ? "PUBLIC" : Identifiers.quote(grantee))
        + (withGrantOption ? " WITH GRANT OPTION" : "");
  }

  /** {@code REVOKE privilege ON name FROM role}. */
  public static String revoke(QualifiedName relation, String privilege, String role) {
    return "REVOKE " + privilege(privilege) + " ON " + Identifiers.quote(relation) + " FROM " + Identifiers.quote(role);
  }

  /** {@code SET LOCAL ROLE role}: act as {@code role} until the transaction ends or the next such statement. */
  public static String setLocalRole(String role) {
    return "SET LOCAL ROLE " + Identifiers.quote(role);
  }

  private static String privilege(String privilege) {
    String upper = privilege.toUpperCase(Locale.ROOT);
    if (!PRIVILEGES.contains(upper)) {
      throw new MviewException(MviewException.Kind.INTERNAL, "unknown privilege '" + privilege + "': expected one of "
          + PRIVILEGES);
    }
    return upper;
  }

  /** {@code COMMENT ON COLUMN name.column IS '...'}; a null comment removes it. */
  public static String commentOnColumn(QualifiedName relation, String column, String comment) {
    return "COMMENT ON COLUMN " + Identifiers.quote(relation) + '.' + Identifiers.quote(column) + " IS "
        + (comment == null ? "NULL" : Literals.string(comment));
  }

  /** {@code DROP INDEX schema.index}: an index lives in its table's schema. */
  public static String dropIndex(QualifiedName view, String index) {
    return "DROP INDEX " + Identifiers.quote(QualifiedName.of(view.schema(), index));
  }

  /** {@code DROP INDEX IF EXISTS schema.index}: for an index a rebuild may already have lost. */
  public static String dropIndexIfExists(QualifiedName view, String index) {
    return "DROP INDEX IF EXISTS " + Identifiers.quote(QualifiedName.of(view.schema(), index));
  }

  /** {@code ALTER INDEX schema.index SET TABLESPACE space}. */
  public static String alterIndexTablespace(QualifiedName view, String index, String tablespace) {
    return "ALTER INDEX " + Identifiers.quote(QualifiedName.of(view.schema(), index)) + " SET TABLESPACE "
        + Identifiers.quote(tablespace);
  }

  /** {@code ALTER MATERIALIZED VIEW name SET TABLESPACE space}; null moves it to the default. */
  public static String alterTablespace(QualifiedName view, String tablespace) {
    return "ALTER MATERIALIZED VIEW " + Identifiers.quote(view) + " SET TABLESPACE "
        + (tablespace == null ? "pg_default" : Identifiers.quote(tablespace));
  }

  /**
   * The statements that make the {@code WITH (...)} options of a view exactly {@code options},
   * given the current {@code previous} ones: a {@code RESET} and/or a {@code SET}; none when equal.
   */
  public static List<String> alterOptions(QualifiedName view, ViewKind kind, Map<String, String> previous,
      Map<String, String> options) {
    StringJoiner reset = new StringJoiner(", ");
    previous.keySet().stream().filter(key -> !options.containsKey(key)).forEach(reset::add);
    StringJoiner set = new StringJoiner(", ");
    options.forEach((key, value) -> {
      if (!value.equals(previous.get(key))) {
        set.add(key + " = " + value);
      }
    });
    String target = "ALTER " + keyword(kind) + ' ' + Identifiers.quote(view);
    List<String> statements = new ArrayList<>();
    if (reset.length() > 0) {
      statements.add(target + " RESET (" + reset + ")");
    }
    if (set.length() > 0) {
      statements.add(target + " SET (" + set + ")");
    }
    return statements;
  }

  /** The words naming the kind in DDL: {@code VIEW} or {@code MATERIALIZED VIEW}. */
  public static String keyword(ViewKind kind) {
    return kind == ViewKind.MATERIALIZED_VIEW ? "MATERIALIZED VIEW" : "VIEW";
  }

  private static String columnList(List<String> columns) {
    StringJoiner list = new StringJoiner(", ", "(", ")");
    columns.forEach(column -> list.add(Identifiers.quote(column)));
    return list.toString();
  }

  /** {@code ALTER [MATERIALIZED] VIEW name RENAME TO newName} (same schema). */
  public static String rename(QualifiedName view, ViewKind kind, String newName) {
    return "ALTER " + keyword(kind) + ' ' + Identifiers.quote(view) + " RENAME TO " + Identifiers.quote(newName);
  }

  /** {@code ALTER [MATERIALIZED] VIEW name SET SCHEMA schema}: its indexes move with it. */
  public static String setSchema(QualifiedName view, ViewKind kind, String schema) {
    return "ALTER " + keyword(kind) + ' ' + Identifiers.quote(view) + " SET SCHEMA " + Identifiers.quote(schema);
  }

  /** {@code CREATE SCHEMA name}. */
  public static String createSchema(String schema) {
    return "CREATE SCHEMA " + Identifiers.quote(schema);
  }

  /**
   * {@code DROP SCHEMA IF EXISTS name CASCADE}: only for a work schema of mview's own, which holds
   * nothing but copies it built.
   */
  public static String dropSchemaCascade(String schema) {
    return "DROP SCHEMA IF EXISTS " + Identifiers.quote(schema) + " CASCADE";
  }

  /** {@code DROP SCHEMA name}: only an empty one. */
  public static String dropSchema(String schema) {
    return "DROP SCHEMA " + Identifiers.quote(schema);
  }

  /** {@code ALTER INDEX schema.index RENAME TO newName} (same schema). */
  public static String renameIndex(QualifiedName index, String newName) {
    return "ALTER INDEX " + Identifiers.quote(index) + " RENAME TO " + Identifiers.quote(newName);
  }

  /** {@code ANALYZE relation}: fresh planner statistics for a relation built by {@code CREATE ... AS}. */
  public static String analyze(QualifiedName relation) {
    return "ANALYZE " + Identifiers.quote(relation);
  }

  /**
   * Replays an index definition read with {@code pg_get_indexdef} (with only {@code pg_catalog} on
   * the search path, so the table is schema-qualified) on another relation under another name.
   *
   * @param definition the {@code CREATE [UNIQUE] INDEX name ON table ...} text
   * @param table the relation the definition names
   * @param name the index name the definition names
   * @param newTable the relation to build it on
   * @param newName the name to give it
   * @param tablespace the index's tablespace (not part of {@code pg_get_indexdef}), or null
   * @param predicate its {@code WHERE} predicate as {@code pg_get_expr} gives it, or null
   * @throws MviewException of kind {@code INTERNAL} when {@code definition} does not name {@code name} on {@code table}
   */
  public static String copyIndex(String definition, QualifiedName table, String name, QualifiedName newTable,
      String newName, String tablespace, String predicate) {
    for (String create : List.of("CREATE UNIQUE INDEX ", "CREATE INDEX ")) {
      int length = headLength(definition, create, name, table);
      if (length >= 0) {
        String rest = definition.substring(length);
        if (tablespace != null) {
          // TABLESPACE goes before WHERE in CREATE INDEX; pg_get_indexdef leaves it out.
          String where = predicate == null ? null : " WHERE " + predicate;
          String space = " TABLESPACE " + Identifiers.quote(tablespace);
          if (where == null) {
            rest = rest + space;
          } else if (rest.endsWith(where)) {
            rest = rest.substring(0, rest.length() - where.length()) + space + where;
          } else {
            throw new MviewException(MviewException.Kind.INTERNAL, "cannot place TABLESPACE before the WHERE of " + definition);
          }
        }
        return create + Identifiers.quote(newName) + " ON " + Identifiers.quote(newTable) + ' ' + rest;
      }
    }
    throw new MviewException(MviewException.Kind.INTERNAL, "index definition does not create " + name + " on " + table + ": " + definition);
  }

  /**
   * The length of {@code create name ON schema.table } at the start of {@code definition}, or -1.
   * The server quotes only its own keywords, mview those of PostgreSQL 14 to 18 ({@link Keywords}),
   * so each name is accepted as mview writes it, bare when that is a plain lower-case word (an older
   * server leaves {@code system_user} bare), or quoted (a newer server's new keyword).
   */
  private static int headLength(String definition, String create, String name, QualifiedName table) {
    for (String index : spellings(name)) {
      for (String schema : spellings(table.schema())) {
        for (String relation : spellings(table.name())) {
          String head = create + index + " ON " + schema + '.' + relation + ' ';
          if (definition.startsWith(head)) {
            return head.length();
          }
        }
      }
    }
    return -1;
  }

  private static Set<String> spellings(String identifier) {
    Set<String> spellings = new java.util.LinkedHashSet<>();
    spellings.add(Identifiers.quote(identifier));
    if (identifier.matches("[a-z_][a-z0-9_]*")) {
      spellings.add(identifier);
      spellings.add('"' + identifier + '"');
    }
    return spellings;
  }
}
