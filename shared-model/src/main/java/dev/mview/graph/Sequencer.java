package dev.mview.graph;

import dev.mview.MviewException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Puts members of a graph that come one by one, in any order, back into dependency order. Each
 * member comes once, carrying a payload (what to emit for it); the payload is let out as soon as
 * every member the node depends on has been let out, and a member that had to wait is let out by
 * the arrival that frees it, together with every other member that arrival frees, in dependency
 * order. Dependencies count through the whole graph: a member that reads a non-member that reads
 * another member waits for that member. Nodes that are not members are taken to be in place
 * already.
 *
 * <p>For a host tool that visits objects in an order of its own (Liquibase's diff visits them by
 * type and by a name-based sort) while the objects must be created upstream first, or dropped
 * downstream first. Not thread-safe: one sequencer serves one run.
 *
 * @param <N> the node type
 * @param <P> what each member carries
 */
public final class Sequencer<N extends Comparable<? super N>, P> {
  /** Which way dependencies point for the members being let out. */
  public enum Direction {
    /** Creating: a member waits for the members it reads, directly or not. */
    UPSTREAM_FIRST,
    /** Dropping: a member waits for the members that read it, directly or not. */
    DOWNSTREAM_FIRST
  }

  private final List<N> order;
  private final Map<N, Set<N>> prerequisites = new HashMap<>();
  private final Map<N, P> arrived = new HashMap<>();
  private final Set<N> released = new TreeSet<>();

  private Sequencer(DependencyGraph<N> graph, Collection<N> members, Direction direction) {
    Set<N> set = new TreeSet<>(members);
    List<N> upstreamFirst = new ArrayList<>(graph.order(set));
    // A member the graph does not know depends on nothing; it goes last, in name order.
    set.stream().filter(node -> !graph.contains(node)).forEach(upstreamFirst::add);
    for (N member : set) {
      Set<N> needs = new TreeSet<>(direction == Direction.UPSTREAM_FIRST
          ? graph.upstreamClosure(List.of(member)) : graph.downstreamClosure(List.of(member)));
      needs.retainAll(set);
      prerequisites.put(member, needs);
    }
    if (direction == Direction.DOWNSTREAM_FIRST) {
      Collections.reverse(upstreamFirst);
    }
    this.order = List.copyOf(upstreamFirst);
  }

  /**
   * A sequencer for {@code members} of {@code graph}.
   *
   * @throws MviewException of kind {@link MviewException.Kind#CYCLE} when the graph has a cycle
   */
  public static <N extends Comparable<? super N>, P> Sequencer<N, P> of(DependencyGraph<N> graph,
      Collection<N> members, Direction direction) {
    return new Sequencer<>(graph, members, direction);
  }

  /** Whether {@code node} is one of the members this sequencer waits for. */
  public boolean isMember(N node) {
    return prerequisites.containsKey(node);
  }

  /** Whether {@code node} has come already. */
  public boolean hasArrived(N node) {
    return arrived.containsKey(node);
  }

  /**
   * Records that {@code node} has come with {@code payload}, and returns the payloads let out now,
   * in dependency order: {@code node}'s own if nothing it depends on is still to come, then those of
   * the waiting members it frees. Empty when {@code node} has to wait.
   *
   * @throws MviewException of kind {@link MviewException.Kind#INTERNAL} when {@code node} is not
   *     a member or has come before
   */
  public List<P> arrive(N node, P payload) {
    if (!isMember(node)) {
      throw new MviewException(MviewException.Kind.INTERNAL, node + " is not a member of this sequencer");
    }
    if (arrived.containsKey(node)) {
      throw new MviewException(MviewException.Kind.INTERNAL, node + " came twice");
    }
    arrived.put(node, payload);
    List<P> out = new ArrayList<>();
    // One pass suffices: whatever a member depends on comes before it in the order.
    for (N member : order) {
      if (!released.contains(member) && arrived.containsKey(member) && released.containsAll(prerequisites.get(member))) {
        released.add(member);
        out.add(arrived.get(member));
      }
    }
    return out;
  }

  /** The members that have come and still wait, in dependency order. */
  public Set<N> waiting() {
    Set<N> waiting = new LinkedHashSet<>();
    for (N member : order) {
      if (arrived.containsKey(member) && !released.contains(member)) {
        waiting.add(member);
      }
    }
    return Collections.unmodifiableSet(waiting);
  }
}
