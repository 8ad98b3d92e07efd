package dev.mview.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mview.MviewException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DependencyGraphTest {
  /** d reads b and c, b and c read a; e reads nothing and nothing reads it. */
  private static DependencyGraph<String> diamond() {
    return DependencyGraph.<String>builder()
        .addEdge("d", "c").addEdge("d", "b").addEdge("b", "a").addEdge("c", "a").addNode("e")
        .build();
  }

  @Test
  void ordersUpstreamFirstWithTiesByNaturalOrder() {
    assertEquals(List.of("a", "b", "c", "d", "e"), diamond().topologicalOrder());
    assertEquals(List.of("a", "d"), diamond().order(List.of("d", "a")));
  }

  @Test
  void closuresLeaveOutTheStartingNodes() {
    assertEquals(Set.of("a", "b", "c"), diamond().upstreamClosure(List.of("d")));
    assertEquals(Set.of("b", "c", "d"), diamond().downstreamClosure(List.of("a")));
    assertEquals(Set.of("d"), diamond().downstreamClosure(List.of("b", "c")));
    assertEquals(Set.of(), diamond().downstreamClosure(List.of("e")));
  }

  @Test
  void directEdgesBothWays() {
    assertEquals(Set.of("b", "c"), diamond().upstreamOf("d"));
    assertEquals(Set.of("b", "c"), diamond().downstreamOf("a"));
    assertEquals(Set.of(), diamond().upstreamOf("unknown"));
  }

  @Test
  void aCycleIsReportedWholeFromItsSmallestNode() {
    DependencyGraph<String> graph = DependencyGraph.<String>builder()
        .addEdge("a", "x").addEdge("c", "b").addEdge("b", "d").addEdge("d", "c").addEdge("e", "c")
        .build();
    MviewException e = assertThrows(MviewException.class, graph::topologicalOrder);
    assertEquals(MviewException.Kind.CYCLE, e.kind());
    assertEquals("views depend on each other in a cycle: b -> d -> c -> b (each reads the next); remove one of"
        + " these references", e.getMessage());
  }

  @Test
  void aNodeCannotReadItself() {
    MviewException e = assertThrows(MviewException.class, () -> DependencyGraph.<String>builder().addEdge("a", "a"));
    assertEquals("a cannot depend on itself", e.getMessage());
  }
}
