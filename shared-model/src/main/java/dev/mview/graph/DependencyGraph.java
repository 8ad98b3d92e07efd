package dev.mview.graph;

import dev.mview.MviewException;
import dev.mview.model.QualifiedName;
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
 * Which relation reads which. An edge {@code a -> b} means {@code a} depends on {@code b}: {@code b}
 * is upstream and must exist (and be refreshed) first. Immutable; orders are deterministic, ties
 * broken by name, so the same graph always yields the same SQL.
 */
public final class DependencyGraph {
  private final Map<QualifiedName, Set<QualifiedName>> upstream;
  private final Map<QualifiedName, Set<QualifiedName>> downstream;

  private DependencyGraph(Map<QualifiedName, Set<QualifiedName>> upstream) {
    Map<QualifiedName, Set<QualifiedName>> up = new TreeMap<>();
    Map<QualifiedName, Set<QualifiedName>> down = new TreeMap<>();
    upstream.forEach((node, edges) -> {
      up.put(node, Collections.unmodifiableSet(new TreeSet<>(edges)));
      down.computeIfAbsent(node, k -> new TreeSet<>());
      for (QualifiedName target : edges) {
        down.computeIfAbsent(target, k -> new TreeSet<>()).add(node);
        up.computeIfAbsent(target, k -> Collections.emptySet());
      }
    });
    down.replaceAll((k, v) -> Collections.unmodifiableSet(v));
    up.replaceAll((k, v) -> v.isEmpty() ? Set.of() : v);
    this.upstream = Collections.unmodifiableMap(up);
    this.downstream = Collections.unmodifiableMap(down);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every node, in name order. */
  public Set<QualifiedName> nodes() {
    return upstream.keySet();
  }

  public boolean contains(QualifiedName node) {
    return upstream.containsKey(node);
  }

  /** What {@code node} reads directly. */
  public Set<QualifiedName> upstreamOf(QualifiedName node) {
    return upstream.getOrDefault(node, Set.of());
  }

  /** What reads {@code node} directly. */
  public Set<QualifiedName> downstreamOf(QualifiedName node) {
    return downstream.getOrDefault(node, Set.of());
  }

  /** Everything {@code nodes} read, directly or not, excluding {@code nodes} themselves. */
  public Set<QualifiedName> upstreamClosure(Collection<QualifiedName> nodes) {
    return closure(nodes, upstream);
  }

  /** Everything that reads {@code nodes}, directly or not, excluding {@code nodes} themselves. */
  public Set<QualifiedName> downstreamClosure(Collection<QualifiedName> nodes) {
    return closure(nodes, downstream);
  }

  private static Set<QualifiedName> closure(
      Collection<QualifiedName> start, Map<QualifiedName, Set<QualifiedName>> edges) {
    Set<QualifiedName> seen = new TreeSet<>();
    Deque<QualifiedName> todo = new ArrayDeque<>(start);
    while (!todo.isEmpty()) {
      for (QualifiedName next : edges.getOrDefault(todo.pop(), Set.of())) {
        if (seen.add(next)) {
          todo.push(next);
        }
      }
    }
    seen.removeAll(start);
    return Collections.unmodifiableSet(seen);
  }

  /**
   * All nodes, upstream before downstream; among nodes that could go next, the smallest name first.
   *
   * @throws MviewException naming the whole cycle when the graph has one
   */
  public List<QualifiedName> topologicalOrder() {
    return order(upstream.keySet());
  }

  /**
   * {@code subset}, ordered upstream before downstream (edges through nodes outside the subset
   * still count), smallest name first among equals.
   */
  public List<QualifiedName> order(Collection<QualifiedName> subset) {
    Map<QualifiedName, Integer> waitingOn = new TreeMap<>();
    for (QualifiedName node : upstream.keySet()) {
      waitingOn.put(node, upstream.get(node).size());
    }
    PriorityQueue<QualifiedName> ready = new PriorityQueue<>();
    waitingOn.forEach((node, count) -> {
      if (count == 0) {
        ready.add(node);
      }
    });
    Set<QualifiedName> wanted = new TreeSet<>(subset);
    List<QualifiedName> ordered = new ArrayList<>();
    int visited = 0;
    while (!ready.isEmpty()) {
      QualifiedName node = ready.poll();
      visited++;
      if (wanted.contains(node)) {
        ordered.add(node);
      }
      for (QualifiedName reader : downstream.get(node)) {
        if (waitingOn.merge(reader, -1, Integer::sum) == 0) {
          ready.add(reader);
        }
      }
    }
    if (visited < upstream.size()) {
      throw new MviewException("views depend on each other in a cycle: " + describeCycle(waitingOn)
          + " (each reads the next); remove one of these references");
    }
    return Collections.unmodifiableList(ordered);
  }

  /** Finds one cycle among the nodes still waiting, starting at the smallest, as a -> b -> a. */
  private String describeCycle(Map<QualifiedName, Integer> waitingOn) {
    QualifiedName start = null;
    for (Map.Entry<QualifiedName, Integer> entry : waitingOn.entrySet()) {
      if (entry.getValue() > 0) {
        start = entry.getKey();
        break;
      }
    }
    Map<QualifiedName, Integer> position = new LinkedHashMap<>();
    List<QualifiedName> path = new ArrayList<>();
    QualifiedName node = start;
    while (!position.containsKey(node)) {
      position.put(node, path.size());
      path.add(node);
      node = firstStillWaiting(upstream.get(node), waitingOn);
    }
    List<String> cycle = new ArrayList<>();
    for (QualifiedName member : path.subList(position.get(node), path.size())) {
      cycle.add(member.toString());
    }
    cycle.add(node.toString());
    return String.join(" -> ", cycle);
  }

  private static QualifiedName firstStillWaiting(Set<QualifiedName> candidates, Map<QualifiedName, Integer> waitingOn) {
    for (QualifiedName candidate : candidates) {
      if (waitingOn.get(candidate) > 0) {
        return candidate;
      }
    }
    throw new IllegalStateException("a node left waiting must read another node left waiting");
  }

  /** A graph holding the nodes and edges of both. */
  public DependencyGraph union(DependencyGraph other) {
    Builder builder = toBuilder();
    other.upstream.forEach((node, edges) -> {
      builder.addNode(node);
      edges.forEach(target -> builder.addEdge(node, target));
    });
    return builder.build();
  }

  public Builder toBuilder() {
    Builder builder = new Builder();
    upstream.forEach((node, edges) -> {
      builder.addNode(node);
      edges.forEach(target -> builder.addEdge(node, target));
    });
    return builder;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DependencyGraph other && upstream.equals(other.upstream);
  }

  @Override
  public int hashCode() {
    return upstream.hashCode();
  }

  @Override
  public String toString() {
    return upstream.toString();
  }

  /** Collects nodes and edges. */
  public static final class Builder {
    private final Map<QualifiedName, Set<QualifiedName>> upstream = new TreeMap<>();

    private Builder() {}

    public Builder addNode(QualifiedName node) {
      upstream.computeIfAbsent(node, k -> new TreeSet<>());
      return this;
    }

    /** Records that {@code reader} depends on {@code source}; both become nodes. */
    public Builder addEdge(QualifiedName reader, QualifiedName source) {
      if (reader.equals(source)) {
        throw new MviewException(reader + " cannot depend on itself");
      }
      addNode(reader);
      addNode(source);
      upstream.get(reader).add(source);
      return this;
    }

    public DependencyGraph build() {
      return new DependencyGraph(upstream);
    }
  }
}
