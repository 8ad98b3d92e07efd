package dev.mview.model;

import dev.mview.MviewException;
import dev.mview.graph.DependencyGraph;
import dev.mview.internal.lexer.QueryReferences;
import dev.mview.internal.lexer.SqlToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A set of declared views and the dependencies between them. Dependencies are the union of those
 * declared and those found in the queries (a view that selects from another view of the model reads
 * it), so nobody has to list them. Building a model checks for duplicates and cycles; the orders it
 * gives are deterministic.
 */
public final class ViewModel {
  private final Map<QualifiedName, ViewDefinition> views;
  private final DependencyGraph<QualifiedName> graph;

  private ViewModel(Map<QualifiedName, ViewDefinition> views) {
    this.views = Collections.unmodifiableMap(views);
    this.graph = buildGraph(views);
    graph.topologicalOrder(); // fails now, naming the cycle, rather than at first use
  }

  /** A model of {@code definitions}; fails on a name declared twice or a dependency cycle. */
  public static ViewModel of(ViewDefinition... definitions) {
    return of(List.of(definitions));
  }

  /** A model of {@code definitions}; fails on a name declared twice or a dependency cycle. */
  public static ViewModel of(Collection<ViewDefinition> definitions) {
    Map<QualifiedName, ViewDefinition> byName = new LinkedHashMap<>();
    for (ViewDefinition definition : definitions) {
      ViewDefinition previous = byName.putIfAbsent(definition.name(), definition);
      if (previous != null) {
        throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "view " + definition.name() + " is declared twice: each view may"
            + " appear once in a model; remove or rename one of them");
      }
    }
    return new ViewModel(byName);
  }

  /** The declared views, in declaration order. */
  public Collection<ViewDefinition> views() {
    return views.values();
  }

  /** The declared view named {@code name}, if the model holds one. */
  public Optional<ViewDefinition> view(QualifiedName name) {
    return Optional.ofNullable(views.get(name));
  }

  /** Whether the model declares no view. */
  public boolean isEmpty() {
    return views.isEmpty();
  }

  /**
   * The model's dependency graph: one node per view and per relation it is declared to depend on;
   * edges from declarations and from the queries.
   */
  public DependencyGraph<QualifiedName> graph() {
    return graph;
  }

  /** The model views (not tables) that {@code view} reads directly. */
  public Set<QualifiedName> dependenciesOf(QualifiedName view) {
    Set<QualifiedName> result = new TreeSet<>(graph.upstreamOf(view));
    result.retainAll(views.keySet());
    return Collections.unmodifiableSet(result);
  }

  /** The views in an order that creates (and refreshes) each after everything it reads. */
  public List<ViewDefinition> createOrder() {
    List<ViewDefinition> ordered = new ArrayList<>();
    for (QualifiedName name : graph.order(views.keySet())) {
      ordered.add(views.get(name));
    }
    return Collections.unmodifiableList(ordered);
  }

  /** The views in an order that drops each before what it reads. */
  public List<ViewDefinition> dropOrder() {
    List<ViewDefinition> ordered = new ArrayList<>(createOrder());
    Collections.reverse(ordered);
    return Collections.unmodifiableList(ordered);
  }

  /**
   * A stable digest of everything declared (SHA-256, hex): equal for equal models whatever the
   * declaration order, different when any definition, option or dependency differs. Queries and
   * partial-index predicates count as PostgreSQL's lexer reads them, as tokens: white space,
   * comments and the case of unquoted words change nothing, a literal or a name does. Front ends
   * use it to know when a model changed, for example as a repeatable Flyway migration's checksum.
   */
  public String fingerprint() {
    StringBuilder canonical = new StringBuilder();
    for (ViewDefinition view : createOrder()) {
      canonical.append(view.kind()).append('\0').append(view.name().schema()).append('\0')
          .append(view.name().name()).append('\0').append(tokens(view.query())).append('\0')
          .append(view.withData()).append('\0').append(view.columnNames()).append('\0')
          .append(view.tablespace().orElse("")).append('\0').append(view.storageParameters()).append('\0');
      for (IndexDefinition index : view.indexes()) {
        canonical.append(index.name().orElse("")).append('\0').append(index.columns()).append('\0')
            .append(index.isUnique()).append('\0').append(index.method().orElse("")).append('\0')
            .append(index.where().map(ViewModel::tokens).orElse("")).append('\0');
      }
      canonical.append(view.comment().orElse("\1")).append('\0')
          .append(view.declaredDependencies()).append('\n');
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new MviewException(MviewException.Kind.INTERNAL, "every Java platform has SHA-256", e);
    }
  }

  /** {@code sql} as its tokens, length first so that the text cannot run into the next field. */
  private static String tokens(String sql) {
    String normal = SqlToken.normalize(sql);
    return normal.length() + ":" + normal;
  }

  private static DependencyGraph<QualifiedName> buildGraph(Map<QualifiedName, ViewDefinition> views) {
    DependencyGraph.Builder<QualifiedName> builder = DependencyGraph.builder();
    for (ViewDefinition view : views.values()) {
      builder.addNode(view.name());
      view.declaredDependencies().forEach(source -> builder.addEdge(view.name(), source));
      for (QueryReferences.Reference reference : QueryReferences.of(view.query())) {
        resolve(reference, view.name(), views).ifPresent(source -> builder.addEdge(view.name(), source));
      }
    }
    return builder.build();
  }

  /**
   * The model view a reference in {@code reader}'s query means. A qualified reference must match
   * exactly. An unqualified one is looked up as PostgreSQL's default search path would: the
   * reader's own schema, then {@code public}; a model view elsewhere is not assumed.
   */
  private static Optional<QualifiedName> resolve(
      QueryReferences.Reference reference, QualifiedName reader, Map<QualifiedName, ViewDefinition> views) {
    List<QualifiedName> candidates = reference.schema() != null
        ? List.of(QualifiedName.of(reference.schema(), reference.name()))
        : List.of(QualifiedName.of(reader.schema(), reference.name()),
            QualifiedName.of(QualifiedName.DEFAULT_SCHEMA, reference.name()));
    for (QualifiedName candidate : candidates) {
      if (!candidate.equals(reader) && views.containsKey(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
