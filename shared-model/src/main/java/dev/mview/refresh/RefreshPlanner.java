package dev.mview.refresh;

import dev.mview.MviewException;
import dev.mview.catalog.Catalog;
import dev.mview.catalog.LiveIndex;
import dev.mview.catalog.LiveView;
import dev.mview.graph.DependencyGraph;
import dev.mview.internal.Restore;
import dev.mview.internal.lexer.QueryReferences;
import dev.mview.internal.sql.Ddl;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewKind;
import dev.mview.sql.Identifiers;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Decides the set, order and strategy of a refresh from what was read of the database: a catalog
 * snapshot (or one assumed from a model), and whether the refresh runs inside a caller's
 * transaction. Reads nothing itself.
 */
final class RefreshPlanner {
  private static final ViewKind MV = ViewKind.MATERIALIZED_VIEW;

  private final Catalog catalog;
  private final RefreshOptions options;
  private final boolean insideTransaction;
  private final Set<QualifiedName> unknown;
  private final Map<QualifiedName, Duration> recorded;

  private RefreshPlanner(Catalog catalog, RefreshOptions options, boolean insideTransaction,
      Set<QualifiedName> unknown, Map<QualifiedName, Duration> recorded) {
    this.catalog = catalog;
    this.options = options;
    this.insideTransaction = insideTransaction;
    this.unknown = unknown;
    this.recorded = recorded;
  }

  /** The plan for {@code options} on the database {@code catalog} describes. */
  static RefreshPlan plan(Catalog catalog, RefreshOptions options, boolean insideTransaction) {
    return plan(catalog, options, insideTransaction, Map.of());
  }

  /**
   * The plan for {@code options} on the database {@code catalog} describes, estimating views the
   * options give no duration for from their {@code recorded} last refreshes (the history's).
   */
  static RefreshPlan plan(Catalog catalog, RefreshOptions options, boolean insideTransaction,
      Map<QualifiedName, Duration> recorded) {
    return new RefreshPlanner(catalog, options, insideTransaction, Set.of(), recorded).plan();
  }

  /**
   * The plan where the catalog was assumed from a model: named views the model does not hold are
   * refreshed plain, first (nothing the model declares can be what they read), saying so.
   */
  static RefreshPlan planAssumed(Catalog catalog, RefreshOptions options) {
    Set<QualifiedName> unknown = new TreeSet<>(options.views());
    unknown.removeIf(name -> catalog.view(name).isPresent());
    return new RefreshPlanner(catalog, options, true, unknown, Map.of()).plan();
  }

  private RefreshPlan plan() {
    List<PlannedRefresh> entries = new ArrayList<>();
    String notDeclared = "not declared by the definitions planned from, so its indexes are not known";
    for (QualifiedName name : unknown) {
      entries.add(options.mode() == RefreshMode.CONCURRENTLY
          ? new PlannedRefresh(name, RefreshStrategy.CONCURRENTLY, "asked for; " + notDeclared + " and whether it"
              + " can be refreshed concurrently is not checked", Set.of(), Ddl.refresh(name, true, true), null)
          : plain(name, notDeclared, Set.of()));
    }
    Set<QualifiedName> targets = targets();
    Set<QualifiedName> chosen = new TreeSet<>(targets);
    DependencyGraph<QualifiedName> graph = catalog.graph();
    if (options.includeUpstream()) {
      addMaterialized(graph.upstreamClosure(targets), chosen);
    }
    if (options.includeDownstream()) {
      addMaterialized(graph.downstreamClosure(targets), chosen);
    }
    List<String> refused = new ArrayList<>();
    Set<QualifiedName> covered = new HashSet<>();
    for (QualifiedName name : catalog.order(chosen)) {
      if (covered.contains(name)) {
        continue; // rebuilt by the swap of a view it reads
      }
      LiveView view = catalog.view(name).orElseThrow();
      PlannedRefresh entry = entry(view, nearestPlannedUpstream(graph, name, chosen), chosen);
      covered.addAll(entry.members());
      LiveView leftover = catalog.swapCopyOf(view).orElse(null);
      if (leftover != null) {
        entry = entry.removingLeftover(Ddl.drop(leftover.name(), MV, true, false),
            "removes " + leftover.name() + ", left by an interrupted swap");
      }
      String work = catalog.swapWorkSchemaOf(view).orElse(null);
      if (work != null) {
        entry = entry.removingLeftover(Ddl.dropSchemaCascade(work), "removes schema " + work
            + ", left by an interrupted swap");
      }
      entries.add(entry);
      if (options.mode() == RefreshMode.CONCURRENTLY && entry.strategy() == RefreshStrategy.PLAIN) {
        refused.add(name + " (" + entry.reason() + ")");
      }
    }
    if (!refused.isEmpty()) {
      throw new MviewException(MviewException.Kind.CANNOT_REFRESH_WITHOUT_BLOCKING, "these materialized views"
          + " cannot be refreshed without blocking readers: " + String.join(", ", refused) + "; give each a unique"
          + " index on plain columns with no WHERE, populate it, or enable swap, or refresh in mode AUTO, which"
          + " falls back to a plain refresh");
    }
    return new RefreshPlan(estimated(entries));
  }

  /**
   * Gives each entry its estimate: the duration the options give for it, else its last recorded
   * refresh, else the catalog's size of the view (with the views its swap rebuilds) and of what it
   * reads, at what a page cost the views whose durations are known (or
   * {@link RefreshEstimate#DEFAULT_PER_PAGE} when none are), so that every kind of estimate can be
   * added along one path.
   */
  private List<PlannedRefresh> estimated(List<PlannedRefresh> entries) {
    Map<QualifiedName, Long> pages = new HashMap<>();
    long knownPages = 0;
    Duration knownTime = Duration.ZERO;
    for (PlannedRefresh entry : entries) {
      long size = pagesRead(entry);
      pages.put(entry.view(), size);
      Duration duration = known(entry.view());
      if (duration != null && size > 0) {
        knownPages += size;
        knownTime = knownTime.plus(duration);
      }
    }
    Duration perPage = knownPages == 0 || knownTime.isZero() ? RefreshEstimate.DEFAULT_PER_PAGE
        : Duration.ofNanos(Math.max(1, knownTime.dividedBy(knownPages).toNanos()));
    List<PlannedRefresh> estimated = new ArrayList<>();
    for (PlannedRefresh entry : entries) {
      QualifiedName view = entry.view();
      long size = pages.get(view);
      Duration given = options.expectedDurations().get(view);
      estimated.add(entry.estimated(given != null ? RefreshEstimate.given(given, size)
          : recorded.containsKey(view) ? RefreshEstimate.lastRefresh(recorded.get(view), size)
          : RefreshEstimate.fromCatalog(size, perPage)));
    }
    return estimated;
  }

  /** The duration the options give for {@code view}, else its last recorded one, else null. */
  private Duration known(QualifiedName view) {
    Duration given = options.expectedDurations().get(view);
    return given != null ? given : recorded.get(view);
  }

  /**
   * The pages a refresh of {@code entry} writes and reads: the view and those its swap rebuilds,
   * and the tables and materialized views they read, directly or through plain views, each once.
   */
  private long pagesRead(PlannedRefresh entry) {
    Set<QualifiedName> relations = new HashSet<>();
    relations.add(entry.view());
    relations.addAll(entry.members());
    Deque<QualifiedName> todo = new ArrayDeque<>(relations);
    Set<QualifiedName> seen = new HashSet<>(relations);
    while (!todo.isEmpty()) {
      for (QualifiedName source : catalog.graph().upstreamOf(todo.pop())) {
        if (seen.add(source)) {
          relations.add(source);
          if (catalog.view(source).filter(view -> !view.isMaterialized()).isPresent()) {
            todo.add(source); // a plain view is read through: what it reads is scanned
          }
        }
      }
    }
    return relations.stream().mapToLong(catalog::pages).sum();
  }

  /** The named views (which must exist and be materialized), the schemas' ones, or all. */
  private Set<QualifiedName> targets() {
    Set<QualifiedName> targets = new TreeSet<>();
    for (QualifiedName name : options.views()) {
      if (unknown.contains(name)) {
        continue;
      }
      LiveView view = catalog.view(name).orElseThrow(() -> new MviewException(MviewException.Kind.NO_SUCH_VIEW,
          "cannot refresh " + name
          + ": there is no view of that name; check the schema and case (stored names, or"
          + " QualifiedName.parse for SQL notation)"));
      if (!view.isMaterialized()) {
        throw new MviewException(MviewException.Kind.NOT_MATERIALIZED, "cannot refresh " + name + ": it is a plain view, not a materialized"
            + " view; name the materialized views it reads instead (or use includeUpstream)");
      }
      targets.add(name);
    }
    Set<String> schemas = new HashSet<>(options.schemas());
    boolean all = options.views().isEmpty() && schemas.isEmpty();
    for (LiveView view : catalog.views()) {
      if (view.isMaterialized() && (all || schemas.contains(view.name().schema())) && !catalog.isSwapCopy(view)) {
        targets.add(view.name());
      }
    }
    return targets;
  }

  private void addMaterialized(Collection<QualifiedName> names, Set<QualifiedName> into) {
    for (QualifiedName name : names) {
      // A swap's copies read the view they copy; another session's swap may be building them now.
      if (catalog.view(name).map(view -> view.isMaterialized() && !catalog.isSwapCopy(view)).orElse(false)) {
        into.add(name);
      }
    }
  }

  /** The planned views {@code name} reads, directly or through relations that are not planned. */
  private static Set<QualifiedName> nearestPlannedUpstream(DependencyGraph<QualifiedName> graph, QualifiedName name,
      Set<QualifiedName> planned) {
    Set<QualifiedName> found = new TreeSet<>();
    Set<QualifiedName> seen = new HashSet<>();
    Deque<QualifiedName> todo = new ArrayDeque<>(graph.upstreamOf(name));
    while (!todo.isEmpty()) {
      QualifiedName next = todo.pop();
      if (!seen.add(next)) {
        continue;
      }
      if (planned.contains(next)) {
        found.add(next);
      } else {
        todo.addAll(graph.upstreamOf(next));
      }
    }
    return found;
  }

  private PlannedRefresh entry(LiveView view, Set<QualifiedName> after, Set<QualifiedName> chosen) {
    QualifiedName name = view.name();
    if (!options.withData()) {
      return plain(name, "WITH NO DATA requested", after);
    }
    if (options.mode() == RefreshMode.PLAIN) {
      return plain(name, "plain refresh requested", after);
    }
    if (!view.populated()) {
      return plain(name, "not populated: CONCURRENTLY needs a populated view", after);
    }
    for (LiveIndex index : view.indexes()) {
      if (index.allowsConcurrentRefresh()) {
        return new PlannedRefresh(name, RefreshStrategy.CONCURRENTLY, "unique index " + index.name()
            + " on (" + String.join(", ", index.columns()) + ")", after, Ddl.refresh(name, true, true), null);
      }
    }
    String reason = "no usable unique index: " + whyNoUsableIndex(view);
    if (!options.swap()) {
      return plain(name, reason, after);
    }
    if (insideTransaction) {
      return plain(name, reason + "; cannot swap inside the caller's transaction (the swap commits twice)", after);
    }
    Set<QualifiedName> readers = catalog.dependentsOf(name);
    if (readers.isEmpty()) {
      return new PlannedRefresh(name, RefreshStrategy.SWAP, reason + "; built beside it and swapped in",
          after, null, swap(view));
    }
    // Views bind to the OID: a swap must rebuild every reader, which is only right for a
    // materialized reader refreshed in this same run.
    Set<QualifiedName> outside = new TreeSet<>();
    for (QualifiedName reader : readers) {
      if (catalog.view(reader).map(LiveView::isMaterialized).orElse(false) && !chosen.contains(reader)) {
        outside.add(reader);
      }
    }
    if (!outside.isEmpty()) {
      return plain(name, reason + "; cannot swap: " + names(outside) + (outside.size() == 1 ? " reads" : " read")
          + " it and " + (outside.size() == 1 ? "is" : "are") + " not refreshed in this run (views bind to the OID)",
          after);
    }
    List<LiveView> group = new ArrayList<>();
    group.add(view);
    catalog.order(readers).forEach(reader -> group.add(catalog.view(reader).orElseThrow()));
    List<QualifiedName> members = group.stream().skip(1).filter(LiveView::isMaterialized).map(LiveView::name).toList();
    List<QualifiedName> plainReaders = group.stream().skip(1).filter(reader -> !reader.isMaterialized())
        .map(LiveView::name).toList();
    return new PlannedRefresh(name, RefreshStrategy.SWAP, reason + "; built beside it with what reads it ("
        + names(readers) + ") and swapped in" + (members.isEmpty() ? "" : ", which refreshes " + names(members))
        + (plainReaders.isEmpty() ? "" : "; the plain views are recreated"), after, null, groupSwap(group));
  }

  private static String names(java.util.Collection<QualifiedName> names) {
    return names.stream().map(QualifiedName::toString).collect(Collectors.joining(", "));
  }

  private PlannedRefresh plain(QualifiedName name, String reason, Set<QualifiedName> after) {
    return new PlannedRefresh(name, RefreshStrategy.PLAIN, reason, after,
        Ddl.refresh(name, false, options.withData()), null);
  }

  private static String whyNoUsableIndex(LiveView view) {
    List<String> problems = new ArrayList<>();
    for (LiveIndex index : view.indexes()) {
      if (!index.unique()) {
        continue;
      }
      List<String> faults = new ArrayList<>();
      if (index.partial()) {
        faults.add("partial");
      }
      if (!index.onPlainColumns()) {
        faults.add("on an expression");
      }
      problems.add(index.name() + " is " + String.join(" and ", faults));
    }
    return problems.isEmpty() ? "it has no unique index" : String.join(", ", problems);
  }

  /**
   * The statements of a swap refresh of {@code group}'s first view together with the views that
   * read it (the rest of {@code group}, upstream first): each built beside, under its own name in
   * the work schema {@code mview_swap_<oid>}, reading the copies of the group; then, in the swap's
   * short transaction, the readers and the view dropped (readers first), the copies moved into
   * place, and each given the owner, grants and triggers of the one it replaces. Keeping the names
   * keeps column references such as {@code v.id} valid, and the work schema, which nobody else may
   * use, keeps a copy a crash leaves behind out of reach.
   */
  private PlannedRefresh.Swap groupSwap(List<LiveView> group) {
    LiveView view = group.get(0);
    String work = Catalog.SWAP_COPY_PREFIX + view.oid();
    Set<QualifiedName> names = new HashSet<>();
    group.forEach(member -> names.add(member.name()));
    List<String> build = new ArrayList<>();
    build.add(Ddl.dropSchemaCascade(work)); // left over from an interrupted swap
    build.add(Ddl.createSchema(work));
    for (LiveView member : group) {
      QualifiedName copy = QualifiedName.of(work, member.name().name());
      String query = QueryReferences.rewrite(member.definition(), reference -> {
        QualifiedName read = reference.schema() == null ? null : QualifiedName.of(reference.schema(), reference.name());
        return read != null && names.contains(read) ? Identifiers.quote(QualifiedName.of(work, read.name())) : null;
      });
      ViewDefinition.Builder definition = member.isMaterialized()
          ? ViewDefinition.materializedView(copy, query).tablespace(member.tablespace()).withData(true)
          : ViewDefinition.view(copy, query);
      definition.columnNames(member.columns()).comment(member.comment());
      member.options().forEach(definition::storageParameter);
      build.addAll(Ddl.create(definition.build()));
      for (LiveIndex index : member.indexes()) {
        build.add(Ddl.copyIndex(index.definition(), member.name(), index.name(), copy, index.name(), index.tablespace(),
            index.predicate()));
      }
      member.columnComments().forEach((column, comment) -> build.add(Ddl.commentOnColumn(copy, column, comment)));
      if (member.isMaterialized()) {
        build.add(Ddl.analyze(copy));
      }
    }
    List<String> install = new ArrayList<>();
    for (int i = group.size() - 1; i >= 0; i--) {
      install.add(Ddl.drop(group.get(i).name(), group.get(i).kind(), false, false));
    }
    for (LiveView member : group) {
      install.add(Ddl.setSchema(QualifiedName.of(work, member.name().name()), member.kind(), member.name().schema()));
      install.addAll(Restore.privileges(member, member.name(), member.kind(), Set.copyOf(member.columns()), catalog));
      if (!member.isMaterialized()) {
        install.addAll(member.triggers());
      }
    }
    install.add(Ddl.dropSchema(work));
    List<QualifiedName> members = group.stream().skip(1).filter(LiveView::isMaterialized).map(LiveView::name).toList();
    return new PlannedRefresh.Swap(view.name(), group.stream().map(LiveView::name).toList(),
        group.stream().map(LiveView::oid).toList(), members, build, install, group.size() - 1,
        List.of(Ddl.dropSchemaCascade(work)));
  }

  /** The statements of a swap refresh of {@code view}, from what the catalog holds now. */
  private PlannedRefresh.Swap swap(LiveView view) {
    QualifiedName name = view.name();
    String temporaryName = Catalog.SWAP_COPY_PREFIX + view.oid();
    QualifiedName temporary = QualifiedName.of(name.schema(), temporaryName);
    ViewDefinition.Builder copy = ViewDefinition.materializedView(temporary, view.definition())
        .columnNames(view.columns()).tablespace(view.tablespace()).withData(true);
    view.options().forEach(copy::storageParameter);
    List<String> build = new ArrayList<>();
    List<String> install = new ArrayList<>();
    build.add(Ddl.drop(temporary, MV, true, false)); // left over from an interrupted swap
    build.add(Ddl.createView(copy.build()));
    install.add(Ddl.drop(name, MV, false, false));
    install.add(Ddl.rename(temporary, MV, name.name()));
    int number = 0;
    for (LiveIndex index : view.indexes()) {
      String indexName = temporaryName + "_" + ++number;
      build.add(Ddl.copyIndex(index.definition(), name, index.name(), temporary, indexName,
          index.tablespace(), index.predicate()));
      install.add(Ddl.renameIndex(QualifiedName.of(name.schema(), indexName), index.name()));
    }
    if (view.comment() != null) {
      build.add(Ddl.comment(temporary, MV, view.comment()));
    }
    view.columnComments().forEach((column, comment) -> build.add(Ddl.commentOnColumn(temporary, column, comment)));
    build.add(Ddl.analyze(temporary)); // CREATE ... AS leaves no statistics; REFRESH would have kept them
    // Owner and grants come with the swap itself: a copy a crash leaves behind is readable by no one else.
    install.addAll(Restore.privileges(view, name, MV, Set.copyOf(view.columns()), catalog));
    return new PlannedRefresh.Swap(name, List.of(name), List.of(view.oid()), List.of(), build, install, 0,
        List.of(Ddl.drop(temporary, MV, true, false)));
  }
}
