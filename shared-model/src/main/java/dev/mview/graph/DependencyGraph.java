package dev.mview.graph;

import dev.mview.MviewException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which node reads which. An edge {@code a -> b} means {@code a} depends on {@code b}: {@code b} is
 * upstream and must exist (and be refreshed) first. Immutable; orders are deterministic, ties broken
 * by the nodes' natural order, so the same graph always yields the same SQL. The nodes are mview's
 * qualified names; the graph itself knows nothing of views, so the model depends on it and not
 * the other way round.
 *
 * @param <N> the node type, ordered by its natural order
 */
public final class DependencyGraph<N extends Comparable<? super N>> {
  private final Map<N, Set<N>> upstream;
  private final Map<N, Set<N>> downstream;

  private DependencyGraph(Map<N, Set<N>> upstream) {
    Map<N, Set<N>> up = new TreeMap<>();
    Map<N, Set<N>> down = new TreeMap<>();
    upstream.forEach((node, edges) -> {
      up.put(node, Collections.unmodifiableSet(new TreeSet<>(edges)));
      down.computeIfAbsent(node, k -> new TreeSet<>());
      for (N target : edges) {
        down.computeIfAbsent(target, k -> new TreeSet<>()).add(node);
        up.computeIfAbsent(target, k -> Collections.emptySet());
      }
    });
    down.replaceAll((k, v) -> Collections.unmodifiableSet(v));
    this.upstream = Collections.unmodifiableMap(up);
    this.downstream = Collections.unmodifiableMap(down);
  }

  /** An empty builder. */
  public static <N extends Comparable<? super N>> Builder<N> builder() {
    return new Builder<>();
  }

  /** Every node, in natural order. */
  public Set<N> nodes() {
    return upstream.keySet();
  }

  /** Whether {@code node} is a node of this graph. */
  public boolean contains(N node) {
    return upstream.containsKey(node);
  }

  /** What {@code node} reads directly. */
  public Set<N> upstreamOf(N node) {
    return upstream.getOrDefault(node, Set.of());
  }

  /** What reads {@code node} directly. */
  public Set<N> downstreamOf(N node) {
    return downstream.getOrDefault(node, Set.of());
  }

  /** Everything {@code nodes} read, directly or not, excluding {@code nodes} themselves. */
  public Set<N> upstreamClosure(Collection<N> nodes) {
    return closure(nodes, upstream);
  }

  /** Everything that reads {@code nodes}, directly or not, excluding {@code nodes} themselves. */
  public Set<N> downstreamClosure(Collection<N> nodes) {
    return closure(nodes, downstream);
  }

  private Set<N> closure(Collection<N> start, Map<N, Set<N>> edges) {
    Set<N> seen = new TreeSet<>();
    Deque<N> todo = new ArrayDeque<>(start);
    while (!todo.isEmpty()) {
      for (N next : edges.getOrDefault(todo.pop(), Set.of())) {
        if (seen.add(next)) {
          todo.push(next);
        }
      }
    }
    seen.removeAll(start);
    return Collections.unmodifiableSet(seen);
  }

  /**
   * All nodes, upstream before downstream; among nodes that could go next, the smallest first.
   *
   * @throws MviewException of kind {@link MviewException.Kind#CYCLE}, naming the whole cycle,
   *     when the graph has one
   */
  public List<N> topologicalOrder() {
    return order(upstream.keySet());
  }

  /**
   * {@code subset}, ordered upstream before downstream (edges through nodes outside the subset
   * still count), smallest first among equals.
   *
   * @throws MviewException of kind {@link MviewException.Kind#CYCLE} when the graph has a cycle
   */
  public List<N> order(Collection<N> subset) {
    Map<N, Integer> waitingOn = new TreeMap<>();
    upstream.forEach((node, sources) -> waitingOn.put(node, sources.size()));
    PriorityQueue<N> ready = new PriorityQueue<>();
    waitingOn.forEach((node, count) -> {
      if (count == 0) {
        ready.add(node);
      }
    });
    Set<N> wanted = new TreeSet<>(subset);
    List<N> ordered = new ArrayList<>();
    int visited = 0;
    while (!ready.isEmpty()) {
      N node = ready.poll();
      visited++;
      if (wanted.contains(node)) {
        ordered.add(node);
      }
      for (N reader : downstream.get(node)) {
        if (waitingOn.merge(reader, -1, Integer::sum) == 0) {
          ready.add(reader);
        }
      }
    }
    if (visited < upstream.size()) {
      throw new MviewException(MviewException.Kind.CYCLE, "views depend on each other in a cycle: "
          + describeCycle(waitingOn) + " (each reads the next); remove one of these references");
    }
    return Collections.unmodifiableList(ordered);
  }

  /**
   * One cycle among the nodes still waiting, starting at the smallest, as {@code a -> b -> a}.
   * Every node left waiting reads another node left waiting, so the walk always closes a cycle.
   */
  private String describeCycle(Map<N, Integer> waitingOn) {
    N node = waitingOn.entrySet().stream().filter(entry -> entry.getValue() > 0).findFirst().orElseThrow().getKey();
    Map<N, Integer> position = new LinkedHashMap<>();
    List<N> path = new ArrayList<>();
    while (!position.containsKey(node)) {
      position.put(node, path.size());
      path.add(node);
      node = upstream.get(node).stream().filter(source -> waitingOn.get(source) > 0).findFirst().orElseThrow();
    }
    List<String> cycle = new ArrayList<>();
    for (N member : path.subList(position.get(node), path.size())) {
      cycle.add(member.toString());
    }
    cycle.add(node.toString());
    return String.join(" -> ", cycle);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DependencyGraph<?> other && upstream.equals(other.upstream);
  }

  @Override
  public int hashCode() {
    return upstream.hashCode();
  }

  /** Each node with what it reads: {@code {a=[b], b=[]}}. */
  @Override
  public String toString() {
    return upstream.toString();
  }

  /**
   * Collects nodes and edges.
   *
   * @param <N> the node type
   */
  public static final class Builder<N extends Comparable<? super N>> {
    private final Map<N, Set<N>> upstream = new TreeMap<>();

    private Builder() {}

    /** Adds {@code node} (a no-op when it is there already). */
    public Builder<N> addNode(N node) {
      upstream.computeIfAbsent(node, k -> new TreeSet<>());
      return this;
    }

    /**
     * Records that {@code reader} depends on {@code source}; both become nodes.
     *
     * @throws MviewException of kind {@link MviewException.Kind#CYCLE} when they are the same node
     */
    public Builder<N> addEdge(N reader, N source) {
      if (reader.equals(source)) {
        throw new MviewException(MviewException.Kind.CYCLE, reader + " cannot depend on itself");
      }
      addNode(reader);
      addNode(source);
      upstream.get(reader).add(source);
      return this;
    }

    /** The graph of the nodes and edges collected so far. */
    public DependencyGraph<N> build() {
      return new DependencyGraph<>(upstream);
    }
  }
}
