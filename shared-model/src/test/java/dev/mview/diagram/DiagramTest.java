package dev.mview.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import org.junit.jupiter.api.Test;

class DiagramTest {
  private static final ViewModel MODEL = ViewModel.of(
      ViewDefinition.materializedView("a.weekly", "SELECT * FROM a.daily").build(),
      ViewDefinition.materializedView("a.daily", "SELECT * FROM s.paid").dependsOn("s.orders").build(),
      ViewDefinition.view("s.paid", "SELECT * FROM s.orders").build());

  // s.orders appears because a.daily declares it; s.paid's read of it is not inferred (not a model view).
  @Test
  void mermaidShowsKindsEdgesAndRefreshOrder() {
    assertEquals("""
        flowchart LR
          n0["s.orders"]:::table
          n1("s.paid"):::view
          n2[("a.daily<br/>refresh 1")]:::matview
          n3[("a.weekly<br/>refresh 2")]:::matview
          n0 --> n2
          n1 --> n2
          n2 --> n3
          classDef table fill:#f3f4f6,stroke:#6b7280
          classDef view fill:#ffffff,stroke:#2563eb,stroke-dasharray:4 2
          classDef matview fill:#dbeafe,stroke:#1d4ed8
        """, Diagram.of(MODEL).mermaid());
  }

  @Test
  void dotShowsKindsEdgesAndRefreshOrder() {
    assertEquals("""
        digraph mview {
          rankdir=LR;
          node [shape=box, fontname="Helvetica"];
          n0 [label="s.orders", style=filled, fillcolor="#f3f4f6"];
          n1 [label="s.paid", style="rounded,dashed"];
          n2 [label="a.daily\\nrefresh 1", shape=cylinder, style=filled, fillcolor="#dbeafe"];
          n3 [label="a.weekly\\nrefresh 2", shape=cylinder, style=filled, fillcolor="#dbeafe"];
          n0 -> n2;
          n1 -> n2;
          n2 -> n3;
        }
        """, Diagram.of(MODEL).dot());
  }
}
