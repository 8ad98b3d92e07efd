package dev.mview.liquibase;

import dev.mview.model.QualifiedName;
import dev.mview.sql.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import liquibase.change.AbstractSQLChange;
import liquibase.change.Change;
import liquibase.change.core.EmptyChange;
import liquibase.change.core.OutputChange;
import liquibase.change.core.TagDatabaseChange;
import liquibase.change.custom.CustomChangeWrapper;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;
import liquibase.structure.DatabaseObject;
import liquibase.structure.core.Catalog;
import liquibase.structure.core.Column;
import liquibase.structure.core.Index;
import liquibase.structure.core.Relation;
import liquibase.structure.core.Schema;
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
  static PendingChanges before(Change change, Database database, Connection connection, boolean rollingBack) {
    ChangeSet own = change.getChangeSet();
    if (own == null || own.getChangeLog() == null) {
      return new PendingChanges(Set.of(), false, null);
    }
    boolean inRollbackBlock = own.getRollback().getChanges().contains(change);
    List<ChangeSet> pending = new ArrayList<>();
    List<Change> ownPending = new ArrayList<>();
    Set<String> applied;
    try {
      applied = applied(database, connection);
    } catch (SQLException e) {
      return new PendingChanges(Set.of(), true, "Liquibase's history could not be read (" + e.getMessage() + ")");
    }
    List<ChangeSet> all = root(own.getChangeLog()).getChangeSets();
    int position = indexOf(all, own);
    if (rollingBack || inRollbackBlock) {
      for (ChangeSet later : all.subList(position + 1, all.size())) {
        if (applied.contains(key(later))) {
          pending.add(later);
        }
      }
      List<Change> changes = inRollbackBlock ? own.getRollback().getChanges() : own.getChanges();
      int at = changes.indexOf(change);
      ownPending.addAll(inRollbackBlock ? changes.subList(0, Math.max(at, 0)) : changes.subList(at + 1, changes.size()));
    } else {
      for (ChangeSet earlier : all.subList(0, Math.max(position, 0))) {
        // runAlways and runOnChange changesets may run again: counted as pending, to be safe.
        if (!applied.contains(key(earlier)) || earlier.isAlwaysRun() || earlier.isRunOnChange()) {
          pending.add(earlier);
        }
      }
      ownPending.addAll(own.getChanges().subList(0, Math.max(own.getChanges().indexOf(change), 0)));
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
    if (change instanceof RefreshMaterializedViewsChange || change instanceof TagDatabaseChange
        || change instanceof EmptyChange || change instanceof OutputChange) {
      return true; // data, a tag or nothing: no definition a plan reads
    }
    if (change instanceof KeepViewsChange keep) {
      boolean known = true;
      for (Change held : keep.getChanges()) {
        known &= collect(held, database, names);
      }
      return known;
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
      if (object instanceof Schema || object instanceof Catalog) {
        continue; // the container of what the change makes, not itself changed
      }
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

  /**
   * The changesets Liquibase's history table holds, read from the table itself: while it prints,
   * Liquibase marks each printed changeset as run in its own cached copy of the history, so only
   * the table tells what was really applied.
   */
  private static Set<String> applied(Database database, Connection connection) throws SQLException {
    String schema = database.getLiquibaseSchemaName() != null ? database.getLiquibaseSchemaName()
        : database.getDefaultSchemaName();
    QualifiedName table = QualifiedName.of(schema == null ? QualifiedName.DEFAULT_SCHEMA : schema,
        database.correctObjectName(database.getDatabaseChangeLogTableName(), Table.class));
    Set<String> applied = new HashSet<>();
    try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      exists.setString(1, Identifiers.quote(table));
      try (ResultSet rs = exists.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return applied;
        }
      }
    }
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT id, author, filename FROM " + Identifiers.quote(table))) {
      while (rs.next()) {
        applied.add(key(rs.getString(1), rs.getString(2), rs.getString(3)));
      }
    }
    return applied;
  }

  private static String key(ChangeSet changeSet) {
    return key(changeSet.getId(), changeSet.getAuthor(), changeSet.getFilePath());
  }

  private static String key(String id, String author, String path) {
    String file = path == null ? "" : path.replace('\\', '/');
    file = file.startsWith("classpath:") ? file.substring("classpath:".length()) : file;
    while (file.startsWith("/")) {
      file = file.substring(1);
    }
    return id + "\0" + author + "\0" + file;
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
