package dev.mview.internal.lexer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Finds the relations a query reads: names that stand where a relation stands, right after
 * {@code FROM}, {@code JOIN}, {@code ONLY}, {@code LATERAL} or a comma of a {@code FROM} list, and are
 * not followed by {@code (} (a function); a {@code FROM} counts only after a {@code SELECT} of the same
 * parenthesis level. Column references, names in strings or comments and
 * function calls are therefore not mistaken for dependencies. Each reference is returned as written:
 * one part (unqualified) or schema and name (a database prefix is dropped).
 */
public final class QueryReferences {
  private QueryReferences() {}

  /** Keywords that end a {@code FROM} list at the current parenthesis depth. */
  private static final Set<String> FROM_LIST_ENDS = Set.of(
      "where", "group", "having", "order", "limit", "offset", "window", "union", "intersect",
      "except", "on", "using", "returning", "fetch", "for", "values", "into", "set", "tablesample");

  private static final Set<String> RELATION_INTRODUCERS = Set.of("from", "join", "only", "lateral");

  /**
   * A reference as written: {@code schema} is null when the query left the name unqualified;
   * {@code start} and {@code end} are where the name (all its parts) stands in the text.
   */
  public record Reference(String schema, String name, int start, int end) {}

  /** The relation references of {@code query}, in the order they appear. */
  public static List<Reference> of(String query) {
    return find(SqlToken.tokenize(query));
  }

  /**
   * {@code query} with the relation references {@code replacement} maps rewritten, token by token:
   * a replaced name is put where the reference stood; everything else — strings, comments, other
   * names, aliases — stays as it is. A replacement should keep the relation's own name (another
   * schema, say), so that column references like {@code a.x} still resolve without an alias.
   *
   * @param replacement the SQL for a relation (already quoted), or null to keep it
   */
  public static String rewrite(String query, Function<Reference, String> replacement) {
    StringBuilder rewritten = new StringBuilder();
    int copied = 0;
    for (Reference reference : of(query)) {
      String sql = replacement.apply(reference);
      if (sql == null) {
        continue;
      }
      rewritten.append(query, copied, reference.start()).append(sql);
      copied = reference.end();
    }
    return rewritten.append(query.substring(copied)).toString();
  }

  private static List<Reference> find(List<SqlToken> tokens) {
    List<Reference> found = new ArrayList<>();
    Deque<Level> levels = new ArrayDeque<>();
    levels.push(new Level(false));
    boolean expectRelation = false;
    for (int i = 0; i < tokens.size(); i++) {
      SqlToken token = tokens.get(i);
      Level level = levels.peek();
      if (token.isSymbol('(')) {
        // "FROM (a JOIN b ...)": a parenthesised join continues the FROM list one level down.
        levels.push(new Level(expectRelation));
      } else if (token.isSymbol(')')) {
        if (levels.size() > 1) {
          levels.pop();
        }
        expectRelation = false;
        continue;
      } else if (token.isKeyword("select")) {
        level.sawSelect = true;
        level.inFromList = false;
      } else if (token.isKeyword("from")) {
        // FROM also appears inside function calls (EXTRACT(x FROM y)); only a SELECT's FROM counts.
        level.inFromList = level.sawSelect;
      } else if (token.isKeyword("join")) {
        level.inFromList = true;
      } else if (token.kind() == SqlToken.Kind.IDENTIFIER && FROM_LIST_ENDS.contains(token.text())) {
        level.inFromList = false;
      } else if (token.isIdentifier() && expectRelation && !isIntroducer(token)) {
        i = readName(tokens, i, found);
      }
      expectRelation = levels.peek().inFromList && (token.isSymbol(',') || token.isSymbol('(')
          || isIntroducer(token));
    }
    return found;
  }

  private static boolean isIntroducer(SqlToken token) {
    return token.kind() == SqlToken.Kind.IDENTIFIER && RELATION_INTRODUCERS.contains(token.text());
  }

  /** What is known about one parenthesis level of the query. */
  private static final class Level {
    boolean sawSelect;
    boolean inFromList;

    Level(boolean inFromList) {
      this.inFromList = inFromList;
    }
  }

  /** Reads {@code a}, {@code a.b} or {@code a.b.c} from {@code start}; returns the last index used. */
  private static int readName(List<SqlToken> tokens, int start, List<Reference> found) {
    List<String> parts = new ArrayList<>();
    parts.add(tokens.get(start).text());
    int i = start;
    while (i + 2 < tokens.size() && tokens.get(i + 1).isSymbol('.') && tokens.get(i + 2).isIdentifier()) {
      parts.add(tokens.get(i + 2).text());
      i += 2;
    }
    boolean functionCall = i + 1 < tokens.size() && tokens.get(i + 1).isSymbol('(');
    if (!functionCall) {
      int n = parts.size();
      int from = tokens.get(start).start();
      int to = tokens.get(i).end();
      found.add(n == 1 ? new Reference(null, parts.get(0), from, to)
          : new Reference(parts.get(n - 2), parts.get(n - 1), from, to));
    }
    return i;
  }
}
