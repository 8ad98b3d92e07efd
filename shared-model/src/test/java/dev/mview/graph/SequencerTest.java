package dev.mview.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.MviewException;
import dev.mview.graph.Sequencer.Direction;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SequencerTest {
  /**
   * t (a table) <- v1 (view) <- m1 <- m2 <- v2 (view); m3 reads t and v1; x is a member the graph
   * does not know.
   */
  private static DependencyGraph<String> graph() {
    return DependencyGraph.<String>builder()
        .addEdge("v1", "t")
        .addEdge("m1", "v1")
        .addEdge("m2", "m1")
        .addEdge("v2", "m2")
        .addEdge("m3", "t")
        .addEdge("m3", "v1")
        .build();
  }

  private static final List<String> MEMBERS = List.of("v1", "m1", "m2", "v2", "m3", "x");

  @Test
  void aMemberThatComesBeforeWhatItReadsWaitsAndComesOutRightAfterIt() {
    Sequencer<String, String> sequencer = Sequencer.of(graph(), MEMBERS, Direction.UPSTREAM_FIRST);

    assertEquals(List.of(), sequencer.arrive("v2", "create v2"));
    assertEquals(List.of(), sequencer.arrive("m2", "create m2"));
    assertEquals(List.of(), sequencer.arrive("m1", "create m1"));
    assertEquals(Set.of("m1", "m2", "v2"), sequencer.waiting());
    assertEquals(List.of("create v1", "create m1", "create m2", "create v2"), sequencer.arrive("v1", "create v1"));
    assertEquals(List.of("create m3"), sequencer.arrive("m3", "create m3"));
    assertEquals(List.of("create x"), sequencer.arrive("x", "create x"));
    assertEquals(Set.of(), sequencer.waiting());
  }

  @Test
  void membersInDependencyOrderComeOutAtOnce() {
    Sequencer<String, String> sequencer = Sequencer.of(graph(), MEMBERS, Direction.UPSTREAM_FIRST);

    for (String node : List.of("v1", "m1", "m3", "m2", "v2")) {
      assertEquals(List.of(node), sequencer.arrive(node, node));
    }
  }

  @Test
  void dependenciesCountThroughNodesThatAreNotMembers() {
    // v1 is in place already: m1 reads nothing still to come; m2 waits for m1 even though v2 is the one reading m2.
    Sequencer<String, String> sequencer = Sequencer.of(graph(), List.of("m1", "m2", "v2"), Direction.UPSTREAM_FIRST);

    assertEquals(List.of(), sequencer.arrive("v2", "v2"));
    assertEquals(List.of(), sequencer.arrive("m2", "m2"));
    assertEquals(List.of("m1", "m2", "v2"), sequencer.arrive("m1", "m1"));
  }

  @Test
  void droppingLetsReadersOutFirst() {
    Sequencer<String, String> sequencer = Sequencer.of(graph(), MEMBERS, Direction.DOWNSTREAM_FIRST);

    assertEquals(List.of(), sequencer.arrive("v1", "drop v1"));
    assertEquals(List.of(), sequencer.arrive("m1", "drop m1"));
    assertEquals(List.of("drop v2"), sequencer.arrive("v2", "drop v2"));
    assertEquals(List.of("drop m3"), sequencer.arrive("m3", "drop m3"));
    assertEquals(List.of("drop m2", "drop m1", "drop v1"), sequencer.arrive("m2", "drop m2"));
  }

  @Test
  void onlyMembersMayComeAndEachOnlyOnce() {
    Sequencer<String, String> sequencer = Sequencer.of(graph(), MEMBERS, Direction.UPSTREAM_FIRST);
    assertTrue(sequencer.isMember("m1"));
    assertFalse(sequencer.isMember("t"));

    MviewException stranger = assertThrows(MviewException.class, () -> sequencer.arrive("t", "t"));
    assertEquals("t is not a member of this sequencer", stranger.getMessage());
    assertFalse(sequencer.hasArrived("v1"));
    sequencer.arrive("v1", "v1");
    assertTrue(sequencer.hasArrived("v1"));
    MviewException twice = assertThrows(MviewException.class, () -> sequencer.arrive("v1", "v1"));
    assertEquals("v1 came twice", twice.getMessage());
  }
}
