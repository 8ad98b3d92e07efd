package dev.mview.internal;

import dev.mview.catalog.Grant;
import dev.mview.catalog.LiveIndex;
import dev.mview.catalog.LiveView;
import dev.mview.internal.sql.Ddl;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The SQL that gives a new relation what the catalog shows on a live view: its indexes, comments,
 * owner, privileges and triggers. One place, so a replace (the reconciler) and a swap refresh restore
 * the same things.
 */
public final class Restore {
  private Restore() {}

  /** Everything to create {@code live} again exactly as it is, populated as it is. */
  public static List<String> recreate(LiveView live, String currentUser) {
    List<String> statements = new ArrayList<>();
    statements.add(Ddl.createView(live.toDefinition()));
    statements.addAll(indexes(live, live.indexes()));
    live.commentText().ifPresent(comment -> statements.add(Ddl.comment(live.name(), live.kind(), comment)));
    statements.addAll(properties(live, live.name(), live.kind(), Set.copyOf(live.columns()), currentUser));
    return statements;
  }

  /** Replays {@code indexes} of {@code live} verbatim, with their own tablespaces. */
  public static List<String> indexes(LiveView live, Collection<LiveIndex> indexes) {
    List<String> statements = new ArrayList<>();
    for (LiveIndex index : indexes) {
      statements.add(index.definition());
      index.tablespaceName().ifPresent(space -> statements.add(Ddl.alterIndexTablespace(live.name(), index.name(), space)));
    }
    return statements;
  }

  /**
   * Column comments, owner, privileges and triggers of {@code live}, for {@code target} (the view
   * created anew, possibly as the other kind, or a copy beside it) whose columns are
   * {@code columns}: what concerns a column that no longer exists is left out. The owner is set
   * only when it is not {@code currentUser}, who owns what it creates. Triggers are replayed only on
   * the view itself, as the same kind: their text names it, and materialized views have none.
   */
  public static List<String> properties(LiveView live, QualifiedName target, ViewKind targetKind, Set<String> columns,
      String currentUser) {
    List<String> statements = new ArrayList<>();
    live.columnComments().forEach((column, comment) -> {
      if (columns.contains(column)) {
        statements.add(Ddl.commentOnColumn(target, column, comment));
      }
    });
    if (!live.owner().equals(currentUser)) {
      statements.add(Ddl.alterOwner(target, targetKind, live.owner()));
    }
    for (Grant grant : live.grants()) {
      if (grant.column() == null || columns.contains(grant.column())) {
        statements.add(Ddl.grant(target, grant.privilege(), grant.column(), grant.grantee(), grant.withGrantOption()));
      }
    }
    if (target.equals(live.name()) && targetKind == live.kind()) {
      statements.addAll(live.triggers());
    }
    return statements;
  }
}
