package dev.mview.liquibase;

import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;

/**
 * What the changelog says happened to views before a given change: the source of previous definitions
 * for rollback, and of the views a refresh means when it names none and there is no database to ask.
 */
final class ChangelogHistory {
  private ChangelogHistory() {}

  /** The last {@code createMaterializedView} of {@code name} before {@code change}, if any. */
  static Optional<CreateMaterializedViewChange> lastCreate(Change change, QualifiedName name, Database database) {
    List<Change> earlier = new ArrayList<>(before(change));
    Collections.reverse(earlier);
    for (Change candidate : earlier) {
      if (candidate instanceof CreateMaterializedViewChange create && create.qualifiedName(database).equals(name)) {
        return Optional.of(create);
      }
    }
    return Optional.empty();
  }

  /**
   * The materialized views the changelog has created (and not dropped) before {@code change}, each
   * with its latest definition, in the order they were first created.
   */
  static List<CreateMaterializedViewChange> existing(Change change, Database database) {
    return existing(before(change), database);
  }

  private static List<CreateMaterializedViewChange> existing(List<Change> changes, Database database) {
    Map<QualifiedName, CreateMaterializedViewChange> views = new LinkedHashMap<>();
    for (Change candidate : changes) {
      if (candidate instanceof CreateMaterializedViewChange create) {
        views.put(create.qualifiedName(database), create);
      } else if (candidate instanceof DropMaterializedViewChange drop) {
        views.remove(drop.qualifiedName(database));
      }
    }
    return List.copyOf(views.values());
  }

  /**
   * The model of the materialized views the changelog has created (and not dropped) before
   * {@code change}: what offline planning takes the database to hold.
   */
  static ViewModel earlierModel(Change change, Database database) {
    return model(existing(change, database), database);
  }

  /**
   * The model of the materialized views the changelog holds once {@code change} has run: what
   * offline planning takes the database to hold when {@code change} is rolled back.
   */
  static ViewModel modelAfter(Change change, Database database) {
    List<Change> changes = new ArrayList<>(before(change));
    changes.add(change);
    return model(existing(changes, database), database);
  }

  private static ViewModel model(List<CreateMaterializedViewChange> creates, Database database) {
    List<ViewDefinition> definitions = new ArrayList<>();
    creates.forEach(create -> definitions.add(create.definition(database)));
    return ViewModel.of(definitions);
  }

  /** Every change of the whole changelog (includes flattened) that comes before {@code change}, in order. */
  private static List<Change> before(Change change) {
    ChangeSet changeSet = change.getChangeSet();
    if (changeSet == null || changeSet.getChangeLog() == null) {
      return List.of();
    }
    List<Change> result = new ArrayList<>();
    for (ChangeSet candidate : root(changeSet.getChangeLog()).getChangeSets()) {
      if (sameChangeSet(candidate, changeSet)) {
        for (Change earlier : candidate.getChanges()) {
          if (earlier == change) {
            break;
          }
          result.add(earlier);
        }
        return result;
      }
      result.addAll(candidate.getChanges());
    }
    // The changeset was not found in the root changelog: only what precedes the change in its own changeset is known.
    result.clear();
    for (Change earlier : changeSet.getChanges()) {
      if (earlier == change) {
        break;
      }
      result.add(earlier);
    }
    return result;
  }

  private static DatabaseChangeLog root(DatabaseChangeLog changeLog) {
    DatabaseChangeLog root = changeLog.getRootChangeLog();
    return root == null ? changeLog : root;
  }

  static boolean sameChangeSet(ChangeSet a, ChangeSet b) {
    return a == b || (a.getId().equals(b.getId()) && a.getAuthor().equals(b.getAuthor())
        && a.getFilePath().equals(b.getFilePath()));
  }
}
