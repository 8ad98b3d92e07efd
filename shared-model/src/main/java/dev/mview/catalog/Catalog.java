package dev.mview.catalog;

import dev.mview.MviewException;
import dev.mview.graph.DependencyGraph;
import dev.mview.internal.sql.Ddl;
import dev.mview.model.IndexDefinition;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A snapshot of the views and materialized views of a database, with everything a drop would lose
 * and the dependency edges between relations. {@link #read} takes it from a live database in a
 * fixed number of queries; {@link #assumed} derives it from a model where there is no database to
 * read (offline scripts); {@link #builder} assembles one by hand (planner tests). Immutable.
 */
public final class Catalog {
  /**
   * The role an {@linkplain #assumed assumed} catalog is read as and its views are owned by: it
   * stands for whoever runs the script, so no plan made from it changes an owner.
   */
  public static final String ASSUMED_ROLE = "current_user";

  /**
   * What a swap refresh names the copy it builds beside a view, followed by the view's OID:
   * deterministic, so a copy left by an interrupted swap is found and removed by the next run.
   */
  public static final String SWAP_COPY_PREFIX = "mview_swap_";

  private final Map<QualifiedName, LiveView> views;
  private final DependencyGraph<QualifiedName> graph;
  private final int serverMajorVersion;
  private final String currentUser;
  private final boolean superuser;
  private final Set<String> memberOf;
  private final boolean definitions;
  private final Map<QualifiedName, Map<String, Set<QualifiedName>>> columnReaders;
  private final Map<QualifiedName, Long> pages;

  private Catalog(Builder builder) {
    this.views = Collections.unmodifiableMap(new TreeMap<>(builder.views));
    DependencyGraph.Builder<QualifiedName> edges = DependencyGraph.builder();
    views.keySet().forEach(edges::addNode);
    builder.edges.forEach(edge -> edges.addEdge(edge.get(0), edge.get(1)));
    this.graph = edges.build();
    this.serverMajorVersion = builder.serverMajorVersion;
    this.currentUser = builder.currentUser;
    this.superuser = builder.superuser;
    this.memberOf = Set.copyOf(builder.memberOf);
    this.definitions = builder.definitions;
    Map<QualifiedName, Map<String, Set<QualifiedName>>> readers = new TreeMap<>();
    for (List<Object> edge : builder.columnEdges) {
      readers.computeIfAbsent((QualifiedName) edge.get(1), source -> new TreeMap<>())
          .computeIfAbsent((String) edge.get(2), column -> new TreeSet<>()).add((QualifiedName) edge.get(0));
    }
    this.columnReaders = readers;
    this.pages = Map.copyOf(builder.pages);
  }

  /** An empty builder: no views, the current PostgreSQL major version, definitions present. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads every view and materialized view outside the system schemas, and the edges from each to
   * the relations (views and tables) it reads, from {@code pg_depend}/{@code pg_rewrite}. Changes
   * nothing; works inside a caller's transaction.
   *
   * @throws MviewException of kind {@link MviewException.Kind#DATABASE} when the catalog cannot be
   *     read
   */
  public static Catalog read(Connection connection) {
    return read(connection, true);
  }

  /**
   * Reads everything {@link #read} does except what PostgreSQL must deparse: view and index
   * definitions, index predicates and triggers ({@link LiveView#definition()} and
   * {@link LiveIndex#definition()} then throw). Deparsing opens each relation a view reads with a
   * share lock, so a full read waits while any of them is being refreshed plain; this one takes no
   * relation lock, which is what a refresh planner running beside other refreshes needs.
   *
   * @throws MviewException of kind {@link MviewException.Kind#DATABASE} when the catalog cannot be
   *     read
   */
  public static Catalog readWithoutDefinitions(Connection connection) {
    return read(connection, false);
  }

  private static Catalog read(Connection connection, boolean deparse) {
    try {
      return CatalogReader.read(connection, deparse);
    } catch (SQLException e) {
      throw new MviewException(MviewException.Kind.DATABASE, "could not read the views of the database: "
          + e.getMessage(), e);
    }
  }

  /**
   * The catalog a database would show right after the views of {@code model} were created as
   * declared, as far as the model tells: definitions as written (not as PostgreSQL would deparse
   * them), declared indexes, options and comments, populated as declared, owned by
   * {@link #ASSUMED_ROLE}, no privileges, and the model's edges. What the model cannot know — views
   * made by hand, grants, the columns a query yields — is absent. For planning where there is no
   * database to read, such as a Liquibase changelog printed offline.
   */
  public static Catalog assumed(ViewModel model) {
    Builder builder = builder().currentUser(ASSUMED_ROLE);
    for (ViewDefinition view : model.views()) {
      builder.view(assumedView(view));
      model.graph().upstreamOf(view.name()).forEach(source -> builder.edge(view.name(), source));
    }
    return builder.build();
  }

  private static LiveView assumedView(ViewDefinition view) {
    List<LiveIndex> indexes = new ArrayList<>();
    for (IndexDefinition index : view.indexes()) {
      indexes.add(new LiveIndex(index.name().orElseThrow(), Ddl.createIndex(view.name(), index), index.isUnique(),
          index.where().isPresent(), index.columns(), index.method().orElse("btree"), index.where().orElse(null),
          null));
    }
    return new LiveView(view.name(), 0, view.kind(), view.query(), view.withData(), ASSUMED_ROLE,
        view.tablespace().orElse(null), view.storageParameters(), view.comment().orElse(null), view.columnNames(),
        Map.of(), indexes, List.of(), null, List.of());
  }

  /**
   * This catalog without {@code names} and their edges: what it will show once statements that
   * run before a plan (and are not yet visible to it) have dropped them.
   */
  public Catalog without(Collection<QualifiedName> names) {
    Builder builder = toBuilder();
    names.forEach(builder::remove);
    return builder.build();
  }

  /** A builder holding this catalog, to derive another one. */
  public Builder toBuilder() {
    Builder builder = builder().serverMajorVersion(serverMajorVersion).currentUser(currentUser)
        .superuser(superuser).definitions(definitions);
    memberOf.forEach(builder::memberOf);
    views.values().forEach(builder::view);
    pages.forEach(builder::pages);
    for (QualifiedName reader : graph.nodes()) {
      graph.upstreamOf(reader).forEach(source -> builder.edge(reader, source));
    }
    columnReaders.forEach((source, columns) -> columns.forEach((column, readers) ->
        readers.forEach(reader -> builder.columnEdge(reader, source, column))));
    return builder;
  }

  /** False when read by {@link #readWithoutDefinitions}: definitions and triggers were left out. */
  public boolean hasDefinitions() {
    return definitions;
  }

  /** The view or materialized view named {@code name}, if the catalog holds one. */
  public Optional<LiveView> view(QualifiedName name) {
    return Optional.ofNullable(views.get(name));
  }

  /**
   * The size of {@code relation} (a view, or a relation a view reads) in 8 kB pages, as
   * {@code pg_class.relpages} holds it: counted by the last {@code VACUUM}, {@code ANALYZE} or
   * {@code CREATE INDEX}, so an estimate; 0 for plain views, relations never counted, and those the
   * catalog does not hold. Read without locking the relation.
   */
  public long pages(QualifiedName relation) {
    return pages.getOrDefault(relation, 0L);
  }

  /** Every view and materialized view, in name order. */
  public Collection<LiveView> views() {
    return views.values();
  }

  /** Reader-to-source edges between relations; tables appear as sources. */
  public DependencyGraph<QualifiedName> graph() {
    return graph;
  }

  /** Every view and materialized view that reads {@code name}, directly or through others. */
  public Set<QualifiedName> dependentsOf(QualifiedName name) {
    return graph.downstreamClosure(List.of(name));
  }

  /** Every view and materialized view that reads any of {@code names}, directly or not, excluding them. */
  public Set<QualifiedName> dependentsOf(Collection<QualifiedName> names) {
    return graph.downstreamClosure(names);
  }

  /** The views that read {@code name} directly. */
  public Set<QualifiedName> directDependentsOf(QualifiedName name) {
    return new TreeSet<>(graph.downstreamOf(name));
  }

  /**
   * The views that read column {@code column} of {@code relation} directly, as {@code pg_depend}
   * records it for their rewrite rules: the views a change of that column's type or its drop
   * must rebuild (with what reads them). Empty when the catalog holds no such edges (an
   * {@linkplain #assumed assumed} catalog holds none).
   */
  public Set<QualifiedName> readersOf(QualifiedName relation, String column) {
    return Collections.unmodifiableSet(columnReaders.getOrDefault(relation, Map.of()).getOrDefault(column, Set.of()));
  }

  /** {@code names} in an order where each comes after what it reads (live edges). */
  public List<QualifiedName> order(Collection<QualifiedName> names) {
    return graph.order(new LinkedHashSet<>(names));
  }

  /** The server's major version, for version-dependent SQL ({@code MAINTAIN} on 17+). */
  public int serverMajorVersion() {
    return serverMajorVersion;
  }

  /** The role the catalog was read as: owner of anything the plan creates. */
  public String currentUser() {
    return currentUser;
  }

  /**
   * The copy of {@code view} that an interrupted swap refresh left behind, if there is one: the
   * materialized view {@code mview_swap_<oid>} in its schema, named after its OID.
   */
  public Optional<LiveView> swapCopyOf(LiveView view) {
    return view(QualifiedName.of(view.name().schema(), SWAP_COPY_PREFIX + view.oid())).filter(LiveView::isMaterialized);
  }

  /**
   * The work schema {@code mview_swap_<oid>} a swap of {@code view} together with its readers
   * builds its copies in, if one is left (an interrupted swap of a view that others read).
   */
  public Optional<String> swapWorkSchemaOf(LiveView view) {
    String schema = SWAP_COPY_PREFIX + view.oid();
    return views.keySet().stream().anyMatch(name -> name.schema().equals(schema)) ? Optional.of(schema)
        : Optional.empty();
  }

  /**
   * Whether {@code view} is a copy of a view of this catalog that an interrupted swap left behind:
   * the materialized view {@code mview_swap_<oid>} beside it, or anything in the work schema
   * {@code mview_swap_<oid>}, where {@code <oid>} is a live materialized view's.
   */
  public boolean isSwapCopy(LiveView view) {
    return copiedOid(view.name().name()).filter(oid -> view.isMaterialized() && isMaterializedOid(oid,
        view.name().schema(), view)).isPresent()
        || copiedOid(view.name().schema()).filter(oid -> isMaterializedOid(oid, null, view)).isPresent();
  }

  private static Optional<String> copiedOid(String name) {
    if (!name.startsWith(SWAP_COPY_PREFIX)) {
      return Optional.empty();
    }
    String oid = name.substring(SWAP_COPY_PREFIX.length());
    return oid.matches("[0-9]{1,19}") ? Optional.of(oid) : Optional.empty();
  }

  /** Whether a materialized view other than {@code except} (in {@code schema}, unless null) has {@code oid}. */
  private boolean isMaterializedOid(String oid, String schema, LiveView except) {
    return views.values().stream().anyMatch(other -> other != except && other.isMaterialized()
        && (schema == null || other.name().schema().equals(schema)) && Long.toString(other.oid()).equals(oid));
  }

  /** Whether the reading role is a superuser. */
  public boolean superuser() {
    return superuser;
  }

  /**
   * Whether the reading role may act as {@code role} ({@code SET ROLE}): it is that role, a member
   * of it, or a superuser. A grant can be given again in a grantor's name only as that grantor.
   */
  public boolean canActAs(String role) {
    return superuser || role.equals(currentUser) || memberOf.contains(role);
  }

  /** Assembles a {@link Catalog}: views, the edges between relations, and who reads it. */
  public static final class Builder {
    private final Map<QualifiedName, LiveView> views = new TreeMap<>();
    private final Set<List<QualifiedName>> edges = new LinkedHashSet<>();
    private final Set<List<Object>> columnEdges = new LinkedHashSet<>();
    private int serverMajorVersion = 17;
    private String currentUser = ASSUMED_ROLE;
    private boolean superuser;
    private final Set<String> memberOf = new TreeSet<>();
    private boolean definitions = true;
    private final Map<QualifiedName, Long> pages = new TreeMap<>();

    private Builder() {}

    /** Adds {@code view}, replacing one of the same name. */
    public Builder view(LiveView view) {
      views.put(view.name(), Objects.requireNonNull(view, "view"));
      return this;
    }

    /** Records that {@code reader} (a view) reads {@code source} (a view or a table). */
    public Builder edge(QualifiedName reader, QualifiedName source) {
      edges.add(List.of(reader, source));
      return this;
    }

    /**
     * Records that {@code reader} (a view) reads column {@code column} of {@code source}, besides
     * reading {@code source} ({@link #edge}).
     */
    public Builder columnEdge(QualifiedName reader, QualifiedName source, String column) {
      columnEdges.add(List.of(reader, source, column));
      return edge(reader, source);
    }

    /** Removes the view {@code name} and every edge to or from it. */
    public Builder remove(QualifiedName name) {
      views.remove(name);
      pages.remove(name);
      edges.removeIf(edge -> edge.contains(name));
      columnEdges.removeIf(edge -> edge.contains(name));
      return this;
    }

    /** Records the size of {@code relation} in pages ({@code pg_class.relpages}; default 0). */
    public Builder pages(QualifiedName relation, long pages) {
      if (pages < 0) {
        throw new MviewException(MviewException.Kind.INTERNAL, "pages of " + relation + " must be zero or more, was "
            + pages);
      }
      this.pages.put(Objects.requireNonNull(relation, "relation"), pages);
      return this;
    }

    /** The server's major version (default 17). */
    public Builder serverMajorVersion(int serverMajorVersion) {
      this.serverMajorVersion = serverMajorVersion;
      return this;
    }

    /** The role the catalog is read as (default {@link #ASSUMED_ROLE}). */
    public Builder currentUser(String currentUser) {
      this.currentUser = Objects.requireNonNull(currentUser, "currentUser");
      return this;
    }

    /** Whether the reading role is a superuser (default false). */
    public Builder superuser(boolean superuser) {
      this.superuser = superuser;
      return this;
    }

    /** Adds a role the reading role is a member of (and may act as). */
    public Builder memberOf(String role) {
      memberOf.add(Objects.requireNonNull(role, "role"));
      return this;
    }

    /** Whether views and indexes carry their definitions (default true). */
    public Builder definitions(boolean definitions) {
      this.definitions = definitions;
      return this;
    }

    /** The catalog. */
    public Catalog build() {
      return new Catalog(this);
    }
  }
}
