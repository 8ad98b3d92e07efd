package dev.mview.catalog;

import dev.mview.MviewException;
import dev.mview.graph.DependencyGraph;
import dev.mview.model.QualifiedName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A snapshot of the views and materialized views of a live database, with everything a drop would
 * lose and the dependency edges between relations. Read in a fixed number of queries whatever the
 * number of views; immutable afterwards.
 */
public final class Catalog {
  private final Map<QualifiedName, LiveView> views;
  private final DependencyGraph graph;
  private final int serverMajorVersion;
  private final String currentUser;
  private final boolean definitions;

  Catalog(Map<QualifiedName, LiveView> views, DependencyGraph graph, int serverMajorVersion, String currentUser,
      boolean definitions) {
    this.views = Collections.unmodifiableMap(new TreeMap<>(views));
    this.graph = graph;
    this.serverMajorVersion = serverMajorVersion;
    this.currentUser = currentUser;
    this.definitions = definitions;
  }

  /**
   * Reads every view and materialized view outside the system schemas, and the edges from each to
   * the relations (views and tables) it reads, from {@code pg_depend}/{@code pg_rewrite}. Changes
   * nothing; works inside a caller's transaction.
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
   */
  public static Catalog readWithoutDefinitions(Connection connection) {
    return read(connection, false);
  }

  private static Catalog read(Connection connection, boolean deparse) {
    try {
      return CatalogReader.read(connection, deparse);
    } catch (SQLException e) {
      throw new MviewException("could not read the views of the database: " + e.getMessage(), e);
    }
  }

  /** False when read by {@link #readWithoutDefinitions}: definitions and triggers were left out. */
  public boolean hasDefinitions() {
    return definitions;
  }

  public Optional<LiveView> view(QualifiedName name) {
    return Optional.ofNullable(views.get(name));
  }

  /** Every view and materialized view, in name order. */
  public Collection<LiveView> views() {
    return views.values();
  }

  /** Reader-to-source edges between relations; tables appear as sources. */
  public DependencyGraph graph() {
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
}
