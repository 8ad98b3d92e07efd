package dev.mview.sql;

import java.util.Set;

/**
 * PostgreSQL keywords that {@code quote_ident} quotes: every keyword that is not "unreserved"
 * (reserved, column-name and type/function-name keywords), as the union over PostgreSQL 14 to 18.
 * Quoting a word that a given server would accept bare is harmless; missing one is not, so the list
 * is the union. An integration test compares it with {@code pg_get_keywords()} of a live server.
 */
final class Keywords {
  private Keywords() {}

  private static final Set<String> QUOTED = Set.of(
      // reserved
      "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case",
      "cast", "check", "collate", "column", "constraint", "create", "current_catalog",
      "current_date", "current_role", "current_time", "current_timestamp", "current_user",
      "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch",
      "for", "foreign", "from", "grant", "group", "having", "in", "initially", "intersect", "into",
      "lateral", "leading", "limit", "localtime", "localtimestamp", "not", "null", "offset", "on",
      "only", "or", "order", "placing", "primary", "references", "returning", "select",
      "session_user", "some", "symmetric", "system_user", "table", "then", "to", "trailing",
      "true", "union", "unique", "user", "using", "variadic", "when", "where", "window", "with",
      // type or function name
      "authorization", "binary", "collation", "concurrently", "cross", "current_schema", "freeze",
      "full", "ilike", "inner", "is", "isnull", "join", "left", "like", "natural", "notnull",
      "outer", "overlaps", "right", "similar", "tablesample", "verbose",
      // column name
      "between", "bigint", "bit", "boolean", "char", "character", "coalesce", "dec", "decimal",
      "exists", "extract", "float", "greatest", "grouping", "inout", "int", "integer", "interval",
      "json", "json_array", "json_arrayagg", "json_exists", "json_object", "json_objectagg",
      "json_query", "json_scalar", "json_serialize", "json_table", "json_value", "least",
      "merge_action", "national", "nchar", "none", "normalize", "nullif", "numeric", "out",
      "overlay", "position", "precision", "real", "row", "setof", "smallint", "substring", "time",
      "timestamp", "treat", "trim", "values", "varchar", "xmlattributes", "xmlconcat",
      "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot",
      "xmlserialize", "xmltable");

  static boolean needsQuoting(String lowerCaseWord) {
    return QUOTED.contains(lowerCaseWord);
  }
}
