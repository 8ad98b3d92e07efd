package dev.mview.liquibase;

import dev.mview.model.QualifiedName;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import liquibase.change.AbstractSQLChange;
import liquibase.change.Change;
import liquibase.change.custom.CustomChangeWrapper;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.RanChangeSet;
import liquibase.changelog.filter.ShouldRunChangeSetFilter;
import liquibase.database.Database;
import liquibase.exception.DatabaseException;
import liquibase.structure.DatabaseObject;
import liquibase.structure.core.Column;
import liquibase.structure.core.Index;
import liquibase.structure.core.Relation;
import liquibase.structure.core.Sequence;
import liquibase.structure.core.Table;

/**
 * What the changes that {@code update-sql} or {@code rollback-sql} prints before a given change —
 * printed, not applied — will have changed by the time the printed script runs it: the relations
 * they touch, or "something mview cannot see" (an {@code sql} change). A plan read from the live
 * catalog stays right only when none of them touches what the plan reads.
 *
 * @param names the relations they touch
 * @param unknown a change touches what mview cannot tell (SQL, a custom change)
 * @param first the first changeset that touches anything, for the printed note; null when none does
 */
record PendingChanges(Set<QualifiedName> names, boolean unknown, String first) {
  /** Nothing pending touches anything. */
  boolean none() {
    return names.isEmpty() && !unknown;
  }

  /**
   * The changes that run before {@code change} in this command and are not applied yet. Going
   * forward ({@code update-sql}): the changesets before its own that Liquibase will run, and the
   * changes before it in its changeset. Rolling back ({@code rollback-sql}): the changesets after
   * its own that have run (rolled back first, newest first), and the changes after it in its
   * changeset (undone in reverse) or before it in a rollback block. Which changesets a rollback
   * target reaches is not known here, so all of them count: more plans offline, never a wrong one.
   */
  static PendingChanges before(Change change, Database database, boolean rollingBack) {
    ChangeSet own = change.getChangeSet();
    if (own == null || own.getChangeLog() == null) {
      return new PendingChanges(Set.of(), false, null);
    }
    boolean inRollbackBlock = own.getRollback().getChanges().contains(change);
    List<ChangeSet> pending = new ArrayList<>();
    List<Change> ownPending = new ArrayList<>();
    try {
      List<ChangeSet> all = root(own.getChangeLog()).getChangeSets();
      int position = indexOf(all, own);
      if (rollingBack || inRollbackBlock) {
        List<RanChangeSet> ran = database.getRanChangeSetList();
        for (ChangeSet later : all.subList(position + 1, all.size())) {
          if (ran.stream().anyMatch(row -> row.isSameAs(later))) {
            pending.add(later);
          }
        }
        List<Change> changes = inRollbackBlock ? own.getRollback().getChanges() : own.getChanges();
        int at = changes.indexOf(change);
        ownPending.addAll(inRollbackBlock ? changes.subList(0, at) : changes.subList(at + 1, changes.size()));
      } else {
        ShouldRunChangeSetFilter willRun = new ShouldRunChangeSetFilter(database);
        for (ChangeSet earlier : all.subList(0, Math.max(position, 0))) {
          if (willRun.accepts(earlier).isAccepted()) {
            pending.add(earlier);
          }
        }
        ownPending.addAll(own.getChanges().subList(0, Math.max(own.getChanges().indexOf(change), 0)));
      }
    } catch (DatabaseException e) {
      return new PendingChanges(Set.of(), true, "the history could not be read: " + e.getMessage());
    }
    Set<QualifiedName> names = new TreeSet<>();
    boolean unknown = false;
    String first = null;
    for (ChangeSet changeSet : pending) {
      List<Change> changes = rollingBack && !changeSet.getRollback().getChanges().isEmpty()
          ? changeSet.getRollback().getChanges() : changeSet.getChanges();
      for (Change pendingChange : changes) {
        boolean touches = collect(pendingChange, database, names);
        unknown |= !touches;
        first = first == null && (!touches || !names.isEmpty()) ? Changes.describe(changeSet) : first;
      }
    }
    for (Change pendingChange : ownPending) {
      boolean touches = collect(pendingChange, database, names);
      unknown |= !touches;
      first = first == null && (!touches || !names.isEmpty()) ? "an earlier change of " + Changes.describe(own) : first;
    }
    return new PendingChanges(names, unknown, first);
  }

  /** Adds what {@code change} touches to {@code names}; false when it cannot be told. */
  private static boolean collect(Change change, Database database, Set<QualifiedName> names) {
    if (change instanceof RefreshMaterializedViewsChange) {
      return true; // data only: no definition a plan reads
    }
    if (change instanceof SingleMaterializedViewChange view) {
      names.add(view.qualifiedName(database));
      return true;
    }
    if (change instanceof AbstractSQLChange || change instanceof CustomChangeWrapper) {
      return false;
    }
    Set<DatabaseObject> affected;
    try {
      affected = change.getAffectedDatabaseObjects(database);
    } catch (RuntimeException e) {
      return false;
    }
    if (affected == null || affected.isEmpty()) {
      return false;
    }
    for (DatabaseObject object : affected) {
      DatabaseObject relation = object instanceof Column column ? column.getRelation()
          : object instanceof Index index ? index.getRelation() : object;
      if (!(relation instanceof Relation) && !(relation instanceof Sequence)) {
        return false;
      }
      String schema = relation.getSchema() == null || relation.getSchema().getName() == null
          ? database.getDefaultSchemaName() : relation.getSchema().getName();
      names.add(QualifiedName.of(schema == null ? QualifiedName.DEFAULT_SCHEMA : schema,
          database.correctObjectName(relation.getName(), Table.class)));
    }
    return true;
  }

  private static int indexOf(List<ChangeSet> changeSets, ChangeSet own) {
    for (int i = 0; i < changeSets.size(); i++) {
      if (ChangelogHistory.sameChangeSet(changeSets.get(i), own)) {
        return i;
      }
    }
    return -1;
  }

  private static DatabaseChangeLog root(DatabaseChangeLog changeLog) {
    DatabaseChangeLog root = changeLog.getRootChangeLog();
    return root == null ? changeLog : root;
  }
}
