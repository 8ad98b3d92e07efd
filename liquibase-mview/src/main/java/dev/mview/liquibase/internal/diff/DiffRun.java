package dev.mview.liquibase.internal.diff;

import dev.mview.catalog.Catalog;
import dev.mview.graph.DependencyGraph;
import dev.mview.graph.Sequencer;
import dev.mview.liquibase.snapshot.MaterializedView;
import dev.mview.model.QualifiedName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.function.Predicate;
import liquibase.change.Change;
import liquibase.database.AbstractJdbcDatabase;
import liquibase.database.Database;
import liquibase.diff.DiffResult;
import liquibase.diff.output.DiffOutputControl;
import liquibase.diff.output.ObjectChangeFilter;
import liquibase.structure.DatabaseObject;
import liquibase.structure.core.Table;
import liquibase.structure.core.View;

/**
 * What mview's change generators share during one run of Liquibase's diff-to-changes
 * ({@code generate-changelog}, {@code diff-changelog}, {@code drop-all}): the order the changes
 * around materialized views must come in. Liquibase visits missing and unexpected objects by type
 * and by a sort on names that it cannot do for names holding quotes or dots (it puts those last),
 * and it does not know that plain and materialized views may read each other. So the changes of
 * each materialized view, of each plain view around one (reading one, or read by one, directly or
 * not) and of each table one reads go through a {@link Sequencer} over the database's dependency
 * graph: creations come out upstream first, drops downstream first, each as soon as what it waits
 * for is out. Drops of tables wait too, so that {@code drop-all}'s {@code DROP TABLE ... CASCADE}
 * never takes a view whose own drop is still to come.
 *
 * <p>Keyed by the run's {@link DiffOutputControl}, which Liquibase passes to every generator of
 * the run; the run's {@link DiffResult} is the one Liquibase leaves on the comparison database for
 * generators ({@code diffResult}). Without it, or without the catalog of the snapshot, changes
 * pass through in Liquibase's own order.
 */
final class DiffRun {
  private static final Map<DiffOutputControl, DiffRun> RUNS = new WeakHashMap<>();

  private final DiffResult diff;
  private final Members creationMembers;
  private final Members dropMembers;
  private Sequencer<QualifiedName, Change[]> creations;
  private Sequencer<QualifiedName, Change[]> drops;

  /** What a sequencer orders: the graph and its members; none without a graph. Holds no reference to the run's control. */
  private record Members(DependencyGraph<QualifiedName> graph, List<QualifiedName> members, Sequencer.Direction direction) {
    Sequencer<QualifiedName, Change[]> sequencer() {
      return graph == null ? null : Sequencer.of(graph, members, direction);
    }
  }

  private DiffRun(DiffResult diff, DiffOutputControl control, Database reference, Database comparison) {
    this.diff = diff;
    ObjectChangeFilter filter = control.getObjectChangeFilter();
    this.creationMembers = diff == null ? new Members(null, List.of(), Sequencer.Direction.UPSTREAM_FIRST) : members(
        MaterializedViewSnapshotGenerator.readFor(diff.getReferenceSnapshot()), Sequencer.Direction.UPSTREAM_FIRST,
        diff.getMissingObjects(MaterializedView.class), diff.getMissingObjects(View.class),
        diff.getMissingObjects(Table.class),
        object -> !reference.isLiquibaseObject(object) && !reference.isSystemObject(object)
            && control.shouldOutput(object, comparison)
            && (filter == null || filter.includeMissing(object, reference, comparison)));
    this.dropMembers = diff == null ? new Members(null, List.of(), Sequencer.Direction.DOWNSTREAM_FIRST) : members(
        MaterializedViewSnapshotGenerator.readFor(diff.getComparisonSnapshot()), Sequencer.Direction.DOWNSTREAM_FIRST,
        diff.getUnexpectedObjects(MaterializedView.class), diff.getUnexpectedObjects(View.class),
        diff.getUnexpectedObjects(Table.class),
        object -> !comparison.isLiquibaseObject(object) && !comparison.isSystemObject(object)
            && control.shouldOutput(object, comparison)
            && (filter == null || filter.includeUnexpected(object, reference, comparison)));
    this.creations = creationMembers.sequencer();
    this.drops = dropMembers.sequencer();
  }

  /** The run {@code control} belongs to, started by its first generator. */
  static DiffRun of(DiffOutputControl control, Database reference, Database comparison) {
    synchronized (RUNS) {
      return RUNS.computeIfAbsent(control, key -> new DiffRun(diffResult(comparison), control, reference, comparison));
    }
  }

  private static DiffResult diffResult(Database comparison) {
    return comparison instanceof AbstractJdbcDatabase jdbc && jdbc.get("diffResult") instanceof DiffResult diff ? diff : null;
  }

  /**
   * The members to order: the materialized views Liquibase will visit, the plain views it will
   * visit that read one or are read by one, and the tables it will visit that one reads. None (no
   * ordering) without the catalog's graph or without materialized views.
   */
  private static Members members(Optional<Catalog> catalog, Sequencer.Direction direction,
      Collection<MaterializedView> materialized, Collection<View> plain, Collection<Table> tables,
      Predicate<DatabaseObject> visited) {
    if (catalog.isEmpty() || materialized.isEmpty()) {
      return new Members(null, List.of(), direction);
    }
    DependencyGraph<QualifiedName> graph = catalog.get().graph();
    Set<QualifiedName> views = names(materialized, visited);
    List<QualifiedName> members = new ArrayList<>(views);
    for (QualifiedName relation : names(plain, visited)) {
      if (!Collections.disjoint(graph.upstreamClosure(List.of(relation)), views)
          || !Collections.disjoint(graph.downstreamClosure(List.of(relation)), views)) {
        members.add(relation);
      }
    }
    for (QualifiedName table : names(tables, visited)) {
      if (!Collections.disjoint(graph.downstreamClosure(List.of(table)), views)) {
        members.add(table);
      }
    }
    return new Members(graph, List.copyOf(members), direction);
  }

  private static Set<QualifiedName> names(Collection<? extends DatabaseObject> objects, Predicate<DatabaseObject> visited) {
    Set<QualifiedName> names = new TreeSet<>();
    for (DatabaseObject object : objects) {
      if (visited.test(object)) {
        MaterializedViewChanges.nameOf(object).ifPresent(names::add);
      }
    }
    return names;
  }

  /** The changes to emit now that {@code object}, missing, has {@code changes}: its own and those it frees, in order. */
  synchronized Change[] created(DatabaseObject object, Change[] changes) {
    if (again(creations, object)) {
      creations = creationMembers.sequencer();
    }
    return release(creations, object, changes);
  }

  /** The changes to emit now that {@code object}, unexpected, has {@code changes}: its own and those it frees, in order. */
  synchronized Change[] dropped(DatabaseObject object, Change[] changes) {
    if (again(drops, object)) {
      drops = dropMembers.sequencer();
    }
    return release(drops, object, changes);
  }

  /** Whether {@code object} comes a second time: Liquibase generates the run's changes again, from the start. */
  private static boolean again(Sequencer<QualifiedName, Change[]> sequencer, DatabaseObject object) {
    Optional<QualifiedName> name = MaterializedViewChanges.nameOf(object);
    return sequencer != null && name.isPresent() && sequencer.isMember(name.get()) && sequencer.hasArrived(name.get());
  }

  private static Change[] release(Sequencer<QualifiedName, Change[]> sequencer, DatabaseObject object, Change[] changes) {
    Change[] own = changes == null ? new Change[0] : changes;
    Optional<QualifiedName> name = MaterializedViewChanges.nameOf(object);
    if (sequencer == null || name.isEmpty() || !sequencer.isMember(name.get())) {
      return own;
    }
    List<Change> out = new ArrayList<>();
    for (Change[] released : sequencer.arrive(name.get(), own)) {
      out.addAll(List.of(released));
    }
    return out.toArray(new Change[0]);
  }

  /** The first of the comparison database's materialized views that {@code same} accepts, if the run knows them. */
  Optional<MaterializedView> compared(Predicate<MaterializedView> same) {
    if (diff == null) {
      return Optional.empty();
    }
    return diff.getComparisonSnapshot().get(MaterializedView.class).stream().filter(same).findFirst();
  }
}
