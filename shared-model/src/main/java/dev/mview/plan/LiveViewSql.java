package dev.mview.plan;

import dev.mview.catalog.Grant;
import dev.mview.catalog.LiveIndex;
import dev.mview.catalog.LiveView;
import dev.mview.sql.Ddl;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The SQL that gives a recreated view back what a drop took from it, taken from the catalog:
 * indexes, comments, owner, privileges and triggers. One place, so every recreate restores the same.
 */
final class LiveViewSql {
  private LiveViewSql() {}

  /** Everything to create {@code live} again exactly as it is, populated as it is. */
  static List<String> recreate(LiveView live, String currentUser) {
    List<String> statements = new ArrayList<>();
    statements.add(Ddl.createView(live.toDefinition()));
    statements.addAll(indexes(live, live.indexes()));
    live.commentText().ifPresent(comment -> statements.add(Ddl.comment(live.name(), live.kind(), comment)));
    statements.addAll(properties(live, Set.copyOf(live.columns()), currentUser));
    return statements;
  }

  /** Replays {@code indexes} of {@code live} verbatim, with their own tablespaces. */
  static List<String> indexes(LiveView live, Collection<LiveIndex> indexes) {
    List<String> statements = new ArrayList<>();
    for (LiveIndex index : indexes) {
      statements.add(index.definition());
      index.tablespaceName().ifPresent(space -> statements.add(Ddl.alterIndexTablespace(live.name(), index.name(), space)));
    }
    return statements;
  }

  /**
   * Column comments, owner, privileges and triggers of {@code live}, for a new object whose columns
   * are {@code columns}: what concerns a column that no longer exists is left out.
   */
  static List<String> properties(LiveView live, Set<String> columns, String currentUser) {
    List<String> statements = new ArrayList<>();
    live.columnComments().forEach((column, comment) -> {
      if (columns.contains(column)) {
        statements.add(Ddl.commentOnColumn(live.name(), column, comment));
      }
    });
    if (!live.owner().equals(currentUser)) {
      statements.add(Ddl.alterOwner(live.name(), live.kind(), live.owner()));
    }
    for (Grant grant : live.grants()) {
      if (grant.column() == null || columns.contains(grant.column())) {
        statements.add(Ddl.grant(live.name(), grant.privilege(), grant.column(), grant.grantee(), grant.withGrantOption()));
      }
    }
    statements.addAll(live.triggers());
    return statements;
  }
}
