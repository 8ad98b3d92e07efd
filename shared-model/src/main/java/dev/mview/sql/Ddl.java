package dev.mview.sql;

import dev.mview.model.IndexDefinition;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewKind;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Renders PostgreSQL DDL for views. Every name goes through {@link Identifiers#quote}; statements
 * carry no trailing semicolon (a script adds it).
 */
public final class Ddl {
  private Ddl() {}

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
        + (comment == null ? "NULL" : literal(comment));
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

  /**
   * A string constant that reads the same whatever {@code standard_conforming_strings} says: text
   * with a backslash is written as an escape string ({@code E'...'}).
   */
  public static String literal(String text) {
    String quoted = text.replace("'", "''");
    return text.indexOf('\\') < 0 ? "'" + quoted + "'" : "E'" + quoted.replace("\\", "\\\\") + "'";
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
}
