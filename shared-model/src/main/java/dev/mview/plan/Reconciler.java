package dev.mview.plan;

import dev.mview.MviewException;
import dev.mview.catalog.Catalog;
import dev.mview.catalog.LiveIndex;
import dev.mview.catalog.LiveView;
import dev.mview.graph.DependencyGraph;
import dev.mview.internal.Restore;
import dev.mview.internal.lexer.QueryReferences;
import dev.mview.internal.sql.Ddl;
import dev.mview.model.IndexDefinition;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewKind;
import dev.mview.model.ViewModel;
import dev.mview.sql.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Compares a model with the live database and plans what it takes to make the database follow:
 * create what is missing, replace what changed, adjust what differs only in options, leave the rest
 * untouched.
 *
 * <p>Replacing a view drops and recreates exactly its transitive dependents from {@code pg_depend}
 * — declared or not, plain or materialized — and gives each back what the drop took: indexes,
 * relation and column comments, owner, table and column privileges, triggers, options, tablespace,
 * and populated or not. What the model declares (indexes, comment, options, tablespace), mview
 * enforces; what it leaves out, mview keeps as it is live.
 *
 * <p>The plan's inverse restores the catalog as it was when planned: previous definitions and
 * properties are captured in it.
 */
public final class Reconciler {
  private final ViewModel model;
  private final Catalog catalog;
  private final ReconcileOptions options;
  private final Map<QualifiedName, ChangeDetector.Probe> probes;
  private final boolean offline;
  private final Map<QualifiedName, String> changed = new LinkedHashMap<>();
  private final Set<QualifiedName> created = new TreeSet<>();
  /** Declared views whose query could not be checked because what they read changes first. */
  private final Set<QualifiedName> unverified = new TreeSet<>();
  private final List<Step> alterations = new ArrayList<>();
  /** What a table change of the plan does to the live views; null when the plan has none. */
  private final TableEffects tableEffects;

  private Reconciler(ViewModel model, Catalog catalog, ReconcileOptions options,
      Map<QualifiedName, ChangeDetector.Probe> probes, boolean offline, TableEffects tableEffects) {
    this.model = model;
    this.catalog = catalog;
    this.options = options;
    this.probes = probes;
    this.offline = offline;
    this.tableEffects = tableEffects;
  }

  /** Plans with {@link ReconcileOptions#defaults()}: create and replace, drop nothing. */
  public static Plan plan(Connection connection, ViewModel model) {
    return plan(connection, model, ReconcileOptions.defaults());
  }

  /**
   * Reads the catalog (a fixed number of queries), checks declared queries against PostgreSQL's own
   * reading of them (rolled back; nothing changes), and returns the plan. An empty plan means the
   * database already matches.
   *
   * @throws MviewException when a declared query does not run ({@link MviewException.Kind#QUERY_DOES_NOT_RUN}),
   *     a new view's schema does not exist ({@link MviewException.Kind#NO_SUCH_SCHEMA}), a view to
   *     create only exists already ({@link MviewException.Kind#ALREADY_EXISTS}), a drop would take
   *     views others read ({@link MviewException.Kind#HAS_DEPENDENTS}), or the result would hold a
   *     cycle ({@link MviewException.Kind#CYCLE}); the message names the views
   */
  public static Plan plan(Connection connection, ViewModel model, ReconcileOptions options) {
    return plan(connection, Catalog.read(connection), model, options);
  }

  /**
   * {@link #plan(Connection, ViewModel, ReconcileOptions)} from {@code catalog}, which the caller
   * read from {@code connection} ({@link Catalog#read}) and keeps, for example to record how to
   * undo the plan later ({@link Reversal#of}).
   */
  public static Plan plan(Connection connection, Catalog catalog, ViewModel model, ReconcileOptions options) {
    Catalog remaining = catalog.without(options.alreadyDropped());
    Map<QualifiedName, ChangeDetector.Probe> probes = ChangeDetector.probe(connection, model.createOrder(), remaining);
    return new Reconciler(model, remaining, options, probes, false, null).build();
  }

  /** {@link #planTableChange(Connection, TableChange, ViewModel, ReconcileOptions)} with no declared views. */
  public static Plan planTableChange(Connection connection, TableChange change) {
    return planTableChange(connection, change, ViewModel.of(), ReconcileOptions.defaults());
  }

  /**
   * Plans {@code change} together with {@code model}: the views that stand in the way of the
   * change are dropped before it (downstream first) and built again after it (upstream first),
   * each with everything it carries, as when a view they read is replaced; then the model is
   * reconciled as {@link #plan(Connection, ViewModel, ReconcileOptions)} does. In the way are the
   * views, declared or made by hand, plain or materialized, that read a column whose type the
   * change alters or that it drops ({@code pg_depend} records which columns each view reads), and
   * what reads them; a renamed column, a new column or an index rebuilds nothing, and a statement
   * or an action mview cannot read rebuilds every view of its relation (the plan says so). A view
   * that is not declared is built again from its definition as read now; a declared one, from its
   * declaration. Readers of the rebuilt views wait until the plan commits.
   *
   * @throws MviewException as {@link #plan(Connection, ViewModel, ReconcileOptions)}, and of kind
   *     {@link MviewException.Kind#HAS_DEPENDENTS} when the change drops a column that a view
   *     reads whose declaration the model does not change, naming the view and the column;
   *     {@link MviewException.Kind#INVALID_DECLARATION} when a statement cannot be read and no
   *     relation was named, or when {@code options} asks for an online rebuild, which a table
   *     change cannot have (the views must be gone while it runs)
   */
  public static Plan planTableChange(Connection connection, TableChange change, ViewModel model,
      ReconcileOptions options) {
    return planTableChange(connection, Catalog.read(connection), change, model, options);
  }

  /**
   * {@link #planTableChange(Connection, TableChange, ViewModel, ReconcileOptions)} from
   * {@code catalog}, which the caller read from {@code connection} ({@link Catalog#read}) and
   * keeps, for example to record how to undo the plan later ({@link Reversal#of}).
   */
  public static Plan planTableChange(Connection connection, Catalog catalog, TableChange change, ViewModel model,
      ReconcileOptions options) {
    Catalog remaining = catalog.without(options.alreadyDropped());
    TableEffects effects = TableEffects.of(change, remaining, parts -> resolve(connection, parts));
    Map<QualifiedName, ChangeDetector.Probe> probes = ChangeDetector.probe(connection, model.createOrder(), remaining);
    return new Reconciler(model, remaining, options, probes, false, effects).build();
  }

  /**
   * The decision for a table change from what was read; a relation name resolves as written, an
   * unqualified one to {@code public}.
   */
  static Plan planTableChange(TableChange change, ViewModel model, Catalog catalog,
      Map<QualifiedName, ChangeDetector.Probe> probes, ReconcileOptions options) {
    Catalog remaining = catalog.without(options.alreadyDropped());
    TableEffects effects = TableEffects.of(change, remaining, parts -> parts.size() == 2
        ? QualifiedName.of(parts.get(0), parts.get(1)) : QualifiedName.of(QualifiedName.DEFAULT_SCHEMA, parts.get(0)));
    return new Reconciler(model, remaining, options, probes, false, effects).build();
  }

  /** The relation that {@code parts} names on {@code connection}'s search path now, or null. */
  private static QualifiedName resolve(Connection connection, List<String> parts) {
    String name = parts.stream().map(Identifiers::quote).collect(Collectors.joining("."));
    try (PreparedStatement statement = connection.prepareStatement("SELECT n.nspname, c.relname FROM pg_class c"
        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(?)")) {
      statement.setString(1, name);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() ? QualifiedName.of(rs.getString(1), rs.getString(2)) : null;
      }
    } catch (SQLException e) {
      throw new MviewException(MviewException.Kind.DATABASE, "could not look up relation " + name + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Plans without a database, from what earlier changes created: the database is taken to hold
   * exactly the views of {@code earlier} ({@link Catalog#assumed}), and a declared query counts as
   * changed when its tokens differ from the earlier one's (comments, white space and the case of
   * unquoted words aside), since there is no PostgreSQL to read it. Dependents that {@code earlier}
   * holds are dropped and recreated from their declarations; views made outside it are not known.
   * A declared view that {@code earlier} does not hold may exist all the same: it is dropped if it
   * exists, then created; a view to drop that {@code earlier} does not hold is taken to be a
   * materialized view. Those two steps cannot be undone ({@link Plan#reversible()} is false).
   */
  public static Plan planOffline(ViewModel earlier, ViewModel model, ReconcileOptions options) {
    Catalog catalog = Catalog.assumed(earlier).without(options.alreadyDropped());
    return new Reconciler(model, catalog, options, ChangeDetector.offline(probed(model, catalog), catalog), true,
        null).build();
  }

  /**
   * The decision itself, from what was read: {@code catalog} as the database holds it and
   * {@code probes}, PostgreSQL's reading of each declared view that exists with the same kind.
   */
  static Plan plan(ViewModel model, Catalog catalog, Map<QualifiedName, ChangeDetector.Probe> probes,
      ReconcileOptions options) {
    Catalog remaining = catalog.without(options.alreadyDropped());
    return new Reconciler(model, remaining, options, probes, false, null).build();
  }

  /**
   * The views and relations whose state in the catalog a plan for {@code model} and
   * {@code options} depends on: the declared views and those to drop, what reads them in
   * {@code catalog}, and what the declared queries read (an unqualified name in the reader's schema
   * and in {@code public}). A change to any other relation cannot change the plan, so a plan made
   * from {@code catalog} stays right when statements that run before it touch only other ones.
   */
  public static Set<QualifiedName> inputs(Catalog catalog, ViewModel model, ReconcileOptions options) {
    Set<QualifiedName> changing = new TreeSet<>(options.drops());
    model.views().forEach(view -> changing.add(view.name()));
    Set<QualifiedName> inputs = new TreeSet<>(changing);
    inputs.addAll(catalog.dependentsOf(changing));
    for (ViewDefinition view : model.views()) {
      inputs.addAll(view.declaredDependencies());
      for (QueryReferences.Reference reference : QueryReferences.of(view.query())) {
        if (reference.schema() != null) {
          inputs.add(QualifiedName.of(reference.schema(), reference.name()));
        } else {
          inputs.add(QualifiedName.of(view.name().schema(), reference.name()));
          inputs.add(QualifiedName.of(QualifiedName.DEFAULT_SCHEMA, reference.name()));
        }
      }
    }
    return Collections.unmodifiableSet(inputs);
  }

  /** The declared views to compare offline: those that exist with the same kind, in create order. */
  private static List<ViewDefinition> probed(ViewModel model, Catalog catalog) {
    return model.createOrder().stream()
        .filter(view -> catalog.view(view.name()).filter(live -> live.kind() == view.kind()).isPresent())
        .toList();
  }

  private Plan build() {
    checkDrops();
    classify();
    if (tableEffects != null) {
      tableEffects.checkDroppedColumns(changed.keySet());
    }
    Set<QualifiedName> dropped = droppedOnRequest();
    Set<QualifiedName> rebuilt = new TreeSet<>(moved());
    rebuilt.addAll(catalog.dependentsOf(moved()));
    rebuilt.removeAll(dropped);

    List<Step> steps = new ArrayList<>(unknownDrops());
    Set<QualifiedName> toCreate = new TreeSet<>(created);
    toCreate.addAll(rebuilt);
    List<QualifiedName> createOrder = futureGraph(dropped).order(toCreate);
    if (options.online() && tableEffects != null) {
      throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "a table change cannot be planned online:"
          + " the views in its way must be gone while it runs; plan it without the online option");
    }
    if (options.online() && !rebuilt.isEmpty()) {
      steps.addAll(online(createOrder, rebuilt, dropped));
    } else {
      steps.addAll(drops(rebuilt, dropped));
      if (tableEffects != null) {
        steps.add(tableEffects.step(rebuilt));
      }
      createOrder.forEach(name -> steps.add(createStep(name)));
    }
    alterations.stream().filter(step -> !rebuilt.contains(step.view())).forEach(steps::add);
    return Plan.of(steps);
  }

  /** The views to rebuild and to drop, dropped downstream first. */
  private List<Step> drops(Set<QualifiedName> rebuilt, Set<QualifiedName> dropped) {
    Set<QualifiedName> toDrop = new TreeSet<>(rebuilt);
    toDrop.addAll(dropped);
    List<QualifiedName> dropOrder = new ArrayList<>(catalog.order(toDrop));
    Collections.reverse(dropOrder);
    List<Step> steps = new ArrayList<>();
    for (QualifiedName name : dropOrder) {
      steps.add(dropStep(name, dropped.contains(name) ? dropReason(name) : rebuildDropReason(name)));
    }
    return steps;
  }

  /**
   * The online plan: new views and the rebuilt closure built beside the live views first (new
   * views reading the copies), then the tail that drops the old closure and swaps the copies in.
   */
  private List<Step> online(List<QualifiedName> createOrder, Set<QualifiedName> rebuilt, Set<QualifiedName> dropped) {
    List<Rebuild> rebuilds = createOrder.stream().filter(rebuilt::contains).map(this::rebuild).toList();
    OnlineRebuild online = new OnlineRebuild(catalog, rebuilds);
    List<Step> steps = new ArrayList<>();
    for (QualifiedName name : createOrder) {
      if (rebuilt.contains(name)) {
        steps.add(online.build(rebuilds.stream().filter(r -> r.live().name().equals(name)).findFirst().orElseThrow()));
      } else {
        ViewDefinition declared = model.view(name).orElseThrow();
        ViewDefinition.Builder reading = declared.copyAs(name, online.readingNewViews(declared.query(), name));
        declared.indexes().forEach(reading::index);
        Set<QualifiedName> reads = model.dependenciesOf(name);
        steps.add(Planner.createStep(reading.build(), "new " + declared.kind().label()
            + (reads.isEmpty() ? "" : ", reads " + names(reads))));
      }
    }
    steps.addAll(drops(rebuilt, dropped));
    rebuilds.forEach(rebuild -> steps.add(online.swapIn(rebuild)));
    return steps;
  }

  /**
   * Offline only: drops of views the assumed catalog does not hold (views to drop, and declared
   * views to create that may exist all the same). Nothing is known of them, so they cannot be undone.
   */
  private List<Step> unknownDrops() {
    List<Step> steps = new ArrayList<>();
    if (!offline) {
      return steps;
    }
    String unknown = "planned offline: not created by the earlier changes, so what it is and what reads it are"
        + " not known";
    for (QualifiedName name : options.drops()) {
      if (catalog.view(name).isEmpty()) {
        steps.add(new Step(Step.Action.DROP, name, "declared dropped; " + unknown,
            List.of(Ddl.drop(name, ViewKind.MATERIALIZED_VIEW, !options.requireDropsExist(), false)), List.of()));
      }
    }
    for (ViewDefinition view : model.createOrder()) {
      if (catalog.view(view.name()).isEmpty() && !options.createOnly().contains(view.name())) {
        steps.add(new Step(Step.Action.DROP, view.name(), "replaced if it exists; " + unknown,
            List.of(Ddl.drop(view.name(), view.kind(), true, false)), List.of()));
      }
    }
    return steps;
  }

  /** Sorts each declared view into new, changed (replace), altered (options only) or unchanged. */
  private void classify() {
    for (ViewDefinition view : model.createOrder()) {
      LiveView live = catalog.view(view.name()).orElse(null);
      ChangeDetector.Probe probe = probes.get(view.name());
      if (live != null && options.createOnly().contains(view.name())) {
        throw alreadyExists(view, live);
      }
      if (live == null) {
        if (probe != null && !probe.ran()) {
          unverified(view, probe);
        }
        created.add(view.name());
      } else if (live.kind() != view.kind()) {
        if (probe != null && !probe.ran()) {
          unverified(view, probe);
        }
        changed.put(view.name(), "was a " + live.kind().label() + ", now declared a " + view.kind().label());
      } else if (!probe.ran()) {
        changed.put(view.name(), "definition changed (reads " + names(unverified(view, probe)) + ", which change first)");
      } else if (!probe.definition().equals(live.definition())) {
        changed.put(view.name(), "definition changed");
      } else {
        planAlterations(view, live, probe);
      }
    }
  }

  /**
   * A declared query that did not run is fine only when something it reads is replaced, or is new
   * and could not be checked either: PostgreSQL read it against what those are now. Returns them.
   */
  private Set<QualifiedName> unverified(ViewDefinition view, ChangeDetector.Probe probe) {
    if (probe.schemaMissing()) {
      throw new MviewException(MviewException.Kind.NO_SUCH_SCHEMA, "schema " + view.name().schema() + " of "
          + view.kind().label() + " " + view.name() + " does not exist: create it first (CREATE SCHEMA "
          + Identifiers.quote(view.name().schema()) + ") in an earlier migration or changeset. Nothing was changed.");
    }
    Set<QualifiedName> upstream = model.graph().upstreamClosure(List.of(view.name()));
    Set<QualifiedName> moving = upstream.stream()
        .filter(name -> unverified.contains(name) || changed.containsKey(name)).collect(Collectors.toCollection(TreeSet::new));
    if (tableEffects != null) {
      moving.addAll(tableEffects.readBy(view));
    }
    if (moving.isEmpty()) {
      throw new MviewException(MviewException.Kind.QUERY_DOES_NOT_RUN, "the query of " + view.kind().label() + " " + view.name() + " does not run: "
          + probe.failure() + "\nNothing was changed. Fix the definition of " + view.name() + " and run again.");
    }
    unverified.add(view.name());
    return moving;
  }

  private MviewException alreadyExists(ViewDefinition view, LiveView live) {
    return new MviewException(MviewException.Kind.ALREADY_EXISTS, "cannot create " + view.kind().label() + " "
        + view.name() + ": a " + live.kind().label() + " of that name already exists"
        + (offline ? ", created by an earlier change" : "") + ", and it was declared to be created, not replaced."
        + " Declare it as a replacement, or drop it first. Nothing was changed.");
  }

  private void planAlterations(ViewDefinition view, LiveView live, ChangeDetector.Probe probe) {
    List<String> forward = new ArrayList<>();
    List<String> backward = new ArrayList<>();
    List<String> what = new ArrayList<>();
    if (view.comment().isPresent() && !view.comment().equals(live.commentText())) {
      forward.add(Ddl.comment(view.name(), view.kind(), view.comment().get()));
      backward.add(Ddl.comment(view.name(), view.kind(), live.comment()));
      what.add("comment");
    }
    if (!view.storageParameters().isEmpty() && !view.storageParameters().equals(live.options())) {
      forward.addAll(Ddl.alterOptions(view.name(), view.kind(), live.options(), view.storageParameters()));
      backward.addAll(Ddl.alterOptions(view.name(), view.kind(), view.storageParameters(), live.options()));
      what.add("storage parameters");
    }
    if (view.tablespace().isPresent() && !Objects.equals(view.tablespace().get(), live.tablespace())) {
      forward.add(Ddl.alterTablespace(view.name(), view.tablespace().get()));
      backward.add(Ddl.alterTablespace(view.name(), live.tablespace()));
      what.add("tablespace");
    }
    for (IndexDefinition index : view.indexes()) {
      String name = index.name().orElseThrow();
      LiveIndex existing = live.index(name).orElse(null);
      if (existing != null && sameIndex(index, existing, probe.predicates().get(name))) {
        continue;
      }
      if (existing != null) {
        forward.add(Ddl.dropIndex(view.name(), name));
      }
      forward.add(Ddl.createIndex(view.name(), index));
      backward.add(Ddl.dropIndex(view.name(), name));
      if (existing != null) {
        backward.addAll(Restore.indexes(live, List.of(existing)));
      }
      what.add("index " + name);
    }
    if (!forward.isEmpty()) {
      alterations.add(new Step(Step.Action.ALTER, view.name(), String.join(", ", what) + " changed", forward, backward));
    }
  }

  private static boolean sameIndex(IndexDefinition declared, LiveIndex live, String declaredPredicate) {
    return declared.isUnique() == live.unique()
        && declared.columns().equals(live.columns())
        && declared.method().orElse("btree").equals(live.method())
        && Objects.equals(declared.where().isPresent() ? declaredPredicate : null, live.predicate());
  }

  private void checkDrops() {
    for (QualifiedName name : options.drops()) {
      if (model.view(name).isPresent()) {
        throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "view " + name + " is both declared and listed to drop: remove one of the two");
      }
    }
  }

  /** The requested drops that exist, plus what reads them when cascading. */
  private Set<QualifiedName> droppedOnRequest() {
    Set<QualifiedName> requested = new TreeSet<>();
    for (QualifiedName name : options.drops()) {
      LiveView live = catalog.view(name).orElse(null);
      if (live != null && !live.isMaterialized() && options.materializedDrops().contains(name)) {
        throw new MviewException(MviewException.Kind.NOT_MATERIALIZED, "cannot drop " + name + " as a materialized"
            + " view: it is a plain view; drop it as a view");
      }
      if (live != null) {
        requested.add(name);
      } else if (options.requireDropsExist() && !offline) {
        throw new MviewException(MviewException.Kind.NO_SUCH_VIEW, "cannot drop " + name + ": there is no view"
            + " of that name; check the schema and case (names are as stored), or allow missing views");
      }
    }
    Set<QualifiedName> readers = stillReading(requested);
    if (readers.isEmpty()) {
      return requested;
    }
    Set<QualifiedName> declaredReaders = readers.stream().filter(name -> model.view(name).isPresent())
        .collect(Collectors.toCollection(TreeSet::new));
    if (!options.cascadeDrops() || !declaredReaders.isEmpty()) {
      throw new MviewException(MviewException.Kind.HAS_DEPENDENTS, "cannot drop " + names(requested) + ": " + names(readers)
          + (readers.size() == 1 ? " reads it" : " read it")
          + (declaredReaders.isEmpty()
              ? ". Drop those too (list them to drop) or allow cascading drops."
              : ", and " + names(declaredReaders) + " " + (declaredReaders.size() == 1 ? "is" : "are")
                  + " still declared. Change or remove those declarations first."));
    }
    Set<QualifiedName> all = new TreeSet<>(requested);
    all.addAll(readers);
    return all;
  }

  /**
   * The views that read {@code dropped}, directly or through each other, and will still read them
   * after the plan: a declared view that is replaced and whose declaration no longer names what it
   * read stops reading it (it is rebuilt without it), and so do the views that read it.
   */
  private Set<QualifiedName> stillReading(Set<QualifiedName> dropped) {
    Set<QualifiedName> readers = new TreeSet<>();
    Deque<QualifiedName> sources = new ArrayDeque<>(dropped);
    while (!sources.isEmpty()) {
      QualifiedName source = sources.pop();
      for (QualifiedName reader : catalog.directDependentsOf(source)) {
        if (!dropped.contains(reader) && !readers.contains(reader) && keepsReading(reader, source)) {
          readers.add(reader);
          sources.push(reader);
        }
      }
    }
    return readers;
  }

  private boolean keepsReading(QualifiedName reader, QualifiedName source) {
    ViewDefinition declared = model.view(reader).orElse(null);
    if (declared == null || !changed.containsKey(reader)) {
      return true;
    }
    if (declared.declaredDependencies().contains(source)) {
      return true;
    }
    for (QueryReferences.Reference reference : QueryReferences.of(declared.query())) {
      boolean names = reference.schema() != null
          ? QualifiedName.of(reference.schema(), reference.name()).equals(source)
          : source.name().equals(reference.name()) && (source.schema().equals(reader.schema())
              || source.schema().equals(QualifiedName.DEFAULT_SCHEMA));
      if (names) {
        return true;
      }
    }
    return false;
  }

  /**
   * The edges as they will be: declared views read what the model says (and the views made by hand
   * they read now), others what they read now.
   */
  private DependencyGraph<QualifiedName> futureGraph(Set<QualifiedName> dropped) {
    DependencyGraph.Builder<QualifiedName> graph = DependencyGraph.builder();
    for (QualifiedName node : catalog.graph().nodes()) {
      if (model.view(node).isEmpty() && !dropped.contains(node)) {
        graph.addNode(node);
        catalog.graph().upstreamOf(node).forEach(source -> graph.addEdge(node, source));
      }
    }
    for (ViewDefinition view : model.views()) {
      graph.addNode(view.name());
      model.graph().upstreamOf(view.name()).forEach(source -> graph.addEdge(view.name(), source));
      // The model's edges name only model views; a declared view reading a view made by hand (as it
      // does live, or as its new query says) follows it too.
      Set<QualifiedName> sources = new TreeSet<>(catalog.graph().upstreamOf(view.name()));
      sources.addAll(liveReferences(view));
      sources.stream()
          .filter(source -> model.view(source).isEmpty() && !dropped.contains(source) && !source.equals(view.name()))
          .forEach(source -> graph.addEdge(view.name(), source));
    }
    return graph.build();
  }

  /**
   * The live views that {@code view}'s query names: qualified names as written, an unqualified one
   * in the view's own schema, else {@code public} (as the model resolves them).
   */
  private Set<QualifiedName> liveReferences(ViewDefinition view) {
    Set<QualifiedName> found = new TreeSet<>();
    for (QueryReferences.Reference reference : QueryReferences.of(view.query())) {
      List<QualifiedName> candidates = reference.schema() != null
          ? List.of(QualifiedName.of(reference.schema(), reference.name()))
          : List.of(QualifiedName.of(view.name().schema(), reference.name()),
              QualifiedName.of(QualifiedName.DEFAULT_SCHEMA, reference.name()));
      candidates.stream().filter(candidate -> catalog.view(candidate).isPresent()).findFirst().ifPresent(found::add);
    }
    return found;
  }

  /**
   * Drops {@code name}, and the copy an interrupted swap refresh left beside it, if any (a copy is
   * named after the OID that goes with the drop, so nothing else would ever remove it).
   */
  private Step dropStep(QualifiedName name, String reason) {
    LiveView live = catalog.view(name).orElseThrow();
    List<String> statements = new ArrayList<>();
    LiveView leftover = catalog.swapCopyOf(live).orElse(null);
    if (leftover != null) {
      statements.add(Ddl.drop(leftover.name(), ViewKind.MATERIALIZED_VIEW, true, false));
      reason += "; removes " + leftover.name() + ", left by an interrupted swap";
    }
    statements.add(Ddl.drop(name, live.kind(), false, false));
    return new Step(Step.Action.DROP, name, reason, statements, Restore.recreate(live, catalog));
  }

  private Step createStep(QualifiedName name) {
    ViewDefinition declared = model.view(name).orElse(null);
    if (catalog.view(name).isEmpty()) {
      Set<QualifiedName> reads = model.dependenciesOf(name);
      Step create = Planner.createStep(declared, "new " + declared.kind().label()
          + (reads.isEmpty() ? "" : ", reads " + names(reads)));
      List<String> restore = options.restoring().getOrDefault(name, List.of());
      if (restore.isEmpty()) {
        return create;
      }
      List<String> statements = new ArrayList<>(create.statements());
      statements.addAll(restore);
      return new Step(Step.Action.CREATE, name, create.reason() + "; given back what it had when it was dropped",
          statements, create.inverse());
    }
    Rebuild rebuild = rebuild(name);
    LiveView live = rebuild.live();
    List<String> statements = new ArrayList<>(Ddl.create(rebuild.definition()));
    statements.addAll(Restore.indexes(live, rebuild.keptIndexes()));
    statements.addAll(Restore.properties(live, name, rebuild.definition().kind(), rebuild.columns(), catalog));
    return new Step(rebuild.replaced() ? Step.Action.CREATE : Step.Action.RECREATE, name, rebuild.reason(),
        statements, List.of(Ddl.drop(name, rebuild.definition().kind(), false, false)));
  }

  /**
   * What the live view {@code name} becomes when the plan rebuilds it: a declared view as declared,
   * populated if it was or if declared so, keeping what the declaration leaves out (comment,
   * undeclared indexes whose columns survive) and what no declaration holds (column comments,
   * owner, privileges, triggers); a view nothing declares exactly as it is.
   */
  private Rebuild rebuild(QualifiedName name) {
    ViewDefinition declared = model.view(name).orElse(null);
    LiveView live = catalog.view(name).orElseThrow();
    boolean replaced = changed.containsKey(name);
    String reason = replaced ? changed.get(name) : forced().containsKey(name) ? forced().get(name)
        : "depends on " + names(changedUpstream(name)) + ", which changed";
    ViewDefinition definition;
    List<LiveIndex> kept;
    Set<String> columns;
    if (declared == null) {
      definition = live.toDefinition();
      kept = live.indexes();
      columns = Set.copyOf(live.columns());
    } else {
      ViewDefinition.Builder builder = declared.toBuilder().withData(declared.withData() || live.populated());
      if (declared.comment().isEmpty()) {
        builder.comment(live.comment());
      }
      definition = builder.build();
      Set<String> newColumns = newColumns(declared, live);
      kept = undeclaredIndexes(declared, live).stream().filter(index -> survives(index, declared, live, newColumns))
          .toList();
      columns = newColumns == null ? Set.copyOf(live.columns()) : newColumns;
      List<String> lost = lostIndexes(declared, live);
      if (!lost.isEmpty()) {
        reason += "; not kept: " + String.join(", ", lost);
      }
    }
    List<String> grantors = Restore.grantorChanges(live, columns, catalog);
    if (!grantors.isEmpty()) {
      reason += "; " + String.join("; ", grantors);
    }
    return new Rebuild(live, definition, kept, columns, replaced, reason);
  }

  /**
   * The columns the declared view will have: as PostgreSQL read its query, else as they are now;
   * null when planned offline, where nothing reads the query.
   */
  private Set<String> newColumns(ViewDefinition declared, LiveView live) {
    ChangeDetector.Probe probe = probes.get(declared.name());
    if (probe != null && probe.ran()) {
      return probe.columns() == null ? null : new HashSet<>(probe.columns());
    }
    return new HashSet<>(live.columns());
  }

  /** Live indexes made outside the model (by hand, or by an earlier declaration). */
  private static List<LiveIndex> undeclaredIndexes(ViewDefinition declared, LiveView live) {
    Set<String> declaredIndexes = declared.indexes().stream().map(index -> index.name().orElseThrow())
        .collect(Collectors.toSet());
    return live.indexes().stream().filter(index -> !declaredIndexes.contains(index.name())).toList();
  }

  /**
   * Whether an undeclared index can be built again on the new view: it must still be a materialized
   * view, and an index on plain columns needs them all. An index on expressions is replayed: if it
   * no longer fits, the plan fails on it, naming its SQL, rather than dropping it unseen.
   */
  private static boolean survives(LiveIndex index, ViewDefinition declared, LiveView live, Set<String> columns) {
    return live.kind() == declared.kind() && (columns == null || columns.containsAll(index.columns()));
  }

  /** The undeclared indexes a replace cannot keep, each with why, for the step's reason. */
  private List<String> lostIndexes(ViewDefinition declared, LiveView live) {
    Set<String> columns = newColumns(declared, live);
    List<String> lost = new ArrayList<>();
    for (LiveIndex index : undeclaredIndexes(declared, live)) {
      if (!survives(index, declared, live, columns)) {
        lost.add("index " + index.name() + (live.kind() != declared.kind()
            ? " (a " + declared.kind().label() + " has no indexes)"
            : " (its columns " + index.columns() + " are not all in the new definition)"));
      }
    }
    return lost;
  }

  private Set<QualifiedName> changedUpstream(QualifiedName name) {
    Set<QualifiedName> upstream = new TreeSet<>(catalog.graph().upstreamClosure(List.of(name)));
    upstream.retainAll(moved());
    return upstream;
  }

  /** The views a table change of the plan forces to be rebuilt, each with why; empty without one. */
  private Map<QualifiedName, String> forced() {
    return tableEffects == null ? Map.of() : tableEffects.forced();
  }

  /** The views rebuilt for their own sake: replaced, or in the way of a table change. */
  private Set<QualifiedName> moved() {
    Set<QualifiedName> moved = new TreeSet<>(changed.keySet());
    moved.addAll(forced().keySet());
    return moved;
  }

  private String dropReason(QualifiedName name) {
    if (options.drops().contains(name)) {
      return "declared dropped";
    }
    Set<QualifiedName> reads = new TreeSet<>(catalog.graph().upstreamClosure(List.of(name)));
    reads.retainAll(options.drops());
    return "reads " + names(reads) + ", which is dropped (cascading drop)";
  }

  private String rebuildDropReason(QualifiedName name) {
    if (changed.containsKey(name)) {
      return "to be replaced: " + changed.get(name);
    }
    return (forced().containsKey(name) ? forced().get(name) : "depends on " + names(changedUpstream(name))
        + ", which changed") + "; recreated below";
  }

  private static String names(Set<QualifiedName> names) {
    return names.stream().map(QualifiedName::toString).collect(Collectors.joining(", "));
  }
}
