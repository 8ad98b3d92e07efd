package dev.mview.internal.lexer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What one DDL statement does to the columns views read, as far as its tokens tell:
 * {@code ALTER TABLE} actions that change a column's type or drop it, rename a column or the table,
 * and those that leave every column as it is (adding a column or a constraint, defaults, owner,
 * storage); and {@code CREATE INDEX}, which changes no column. Anything else cannot be read: the
 * caller must be told which relations it changes.
 *
 * @param readable false when the statement is not one of those above
 * @param relation the table the statement changes, as written (one or two parts); empty when it
 *     is not readable
 * @param retyped columns whose type changes ({@code ALTER COLUMN x TYPE})
 * @param dropped columns dropped
 * @param renamed column renames, each {@code [old, new]}
 * @param renamedTo the table's new name ({@code RENAME TO}), or null
 * @param unknownAction the first {@code ALTER TABLE} action whose effect on columns is not known
 *     (every view of the table must then be rebuilt), or null
 */
public record TableStatement(boolean readable, List<String> relation, List<String> retyped, List<String> dropped,
    List<List<String>> renamed, String renamedTo, String unknownAction) {
  public TableStatement {
    relation = List.copyOf(relation);
    retyped = List.copyOf(retyped);
    dropped = List.copyOf(dropped);
    renamed = List.copyOf(renamed);
  }

  /** {@code ALTER TABLE} actions that leave every existing column as it is. */
  private static final Set<String> HARMLESS_ACTIONS = Set.of("add", "owner", "validate", "enable", "disable",
      "cluster", "replica", "inherit", "no", "force", "set", "reset", "of", "not", "attach", "detach");

  /** {@code ALTER COLUMN} subcommands that keep the column's type. */
  private static final Set<String> HARMLESS_COLUMN_ACTIONS = Set.of("set", "drop", "add", "reset", "restart");

  /** Reads {@code sql}, one statement. */
  public static TableStatement read(String sql) {
    List<SqlToken> tokens = SqlToken.tokenize(sql);
    Reader reader = new Reader(tokens);
    if (reader.keyword("create") && (reader.keyword("index") || reader.keyword("unique") && reader.keyword("index"))) {
      List<String> relation = reader.afterOn();
      return relation == null ? unreadable() : new TableStatement(true, relation, List.of(), List.of(), List.of(), null, null);
    }
    reader = new Reader(tokens);
    if (!(reader.keyword("alter") && reader.keyword("table"))) {
      return unreadable();
    }
    if (reader.keyword("if") && !reader.keyword("exists")) {
      return unreadable();
    }
    reader.keyword("only");
    List<String> relation = reader.name();
    if (relation == null) {
      return unreadable();
    }
    reader.symbol('*');
    return reader.actions(relation);
  }

  private static TableStatement unreadable() {
    return new TableStatement(false, List.of(), List.of(), List.of(), List.of(), null, null);
  }

  /** A cursor over the tokens of one statement. */
  private static final class Reader {
    private final List<SqlToken> tokens;
    private int at;

    Reader(List<SqlToken> tokens) {
      this.tokens = tokens;
    }

    boolean keyword(String word) {
      if (at < tokens.size() && tokens.get(at).isKeyword(word)) {
        at++;
        return true;
      }
      return false;
    }

    boolean symbol(char symbol) {
      if (at < tokens.size() && tokens.get(at).isSymbol(symbol)) {
        at++;
        return true;
      }
      return false;
    }

    String identifier() {
      if (at < tokens.size() && tokens.get(at).isIdentifier()) {
        return tokens.get(at++).text();
      }
      return null;
    }

    /** {@code name} or {@code schema.name}; null when no name stands here. */
    List<String> name() {
      String first = identifier();
      if (first == null) {
        return null;
      }
      if (!symbol('.')) {
        return List.of(first);
      }
      String second = identifier();
      return second == null ? null : List.of(first, second);
    }

    /** The name after the first {@code ON} outside parentheses (and an optional {@code ONLY}). */
    List<String> afterOn() {
      int depth = 0;
      while (at < tokens.size()) {
        SqlToken token = tokens.get(at++);
        if (token.isSymbol('(')) {
          depth++;
        } else if (token.isSymbol(')')) {
          depth--;
        } else if (depth == 0 && token.isKeyword("on")) {
          keyword("only");
          return name();
        }
      }
      return null;
    }

    TableStatement actions(List<String> relation) {
      List<String> retyped = new ArrayList<>();
      List<String> dropped = new ArrayList<>();
      List<List<String>> renamed = new ArrayList<>();
      String renamedTo = null;
      String unknown = null;
      do {
        int start = at;
        String action = at < tokens.size() && tokens.get(at).kind() == SqlToken.Kind.IDENTIFIER ? tokens.get(at).text() : null;
        if (keyword("alter")) {
          if (!keyword("constraint")) {
            keyword("column");
            String column = identifier();
            int mark = at;
            boolean typed = keyword("type") || keyword("set") && keyword("data") && keyword("type");
            if (!typed) {
              at = mark;
            }
            if (column == null) {
              unknown = unknown == null ? "ALTER" : unknown;
            } else if (typed) {
              retyped.add(column);
            } else if (at >= tokens.size() || tokens.get(at).kind() != SqlToken.Kind.IDENTIFIER
                || !HARMLESS_COLUMN_ACTIONS.contains(tokens.get(at).text())) {
              unknown = unknown == null ? "ALTER COLUMN " + column : unknown;
            }
          }
        } else if (keyword("drop")) {
          if (!keyword("constraint")) {
            keyword("column");
            if (keyword("if")) {
              keyword("exists");
            }
            String column = identifier();
            if (column == null) {
              unknown = unknown == null ? "DROP" : unknown;
            } else {
              dropped.add(column);
            }
          }
        } else if (keyword("rename")) {
          if (keyword("to")) {
            renamedTo = identifier();
          } else if (!keyword("constraint")) {
            keyword("column");
            String from = identifier();
            String to = keyword("to") ? identifier() : null;
            if (from == null || to == null) {
              unknown = unknown == null ? "RENAME" : unknown;
            } else {
              renamed.add(List.of(from, to));
            }
          }
        } else if (action == null || !HARMLESS_ACTIONS.contains(action)) {
          if (at == start && at >= tokens.size()) {
            return unreadable();
          }
          unknown = unknown == null ? (action == null ? tokens.get(at).text() : action.toUpperCase(Locale.ROOT)) : unknown;
        }
        skipToNextAction();
      } while (symbol(','));
      return new TableStatement(true, relation, retyped, dropped, renamed, renamedTo, unknown);
    }

    /** Skips to the comma that ends this action (outside parentheses), or to the end. */
    private void skipToNextAction() {
      int depth = 0;
      while (at < tokens.size()) {
        SqlToken token = tokens.get(at);
        if (depth == 0 && token.isSymbol(',')) {
          return;
        }
        if (token.isSymbol('(')) {
          depth++;
        } else if (token.isSymbol(')')) {
          depth--;
        }
        at++;
      }
    }
  }
}
