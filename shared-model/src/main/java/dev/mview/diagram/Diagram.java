package dev.mview.diagram;

import dev.mview.catalog.Catalog;
import dev.mview.catalog.LiveView;
import dev.mview.graph.DependencyGraph;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewKind;
import dev.mview.model.ViewModel;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A picture of a dependency graph: materialized views, plain views and the tables they read, arrows
 * from each source to its readers, and each materialized view numbered in refresh order. Rendered
 * as Mermaid (for Markdown) or Graphviz DOT.
 */
public final class Diagram {
  private final DependencyGraph<QualifiedName> graph;
  private final Map<QualifiedName, ViewKind> kinds;

  private Diagram(DependencyGraph<QualifiedName> graph, Map<QualifiedName, ViewKind> kinds) {
    this.graph = graph;
    this.kinds = Map.copyOf(kinds);
  }

  /** The declared views and the relations they are known to read. */
  public static Diagram of(ViewModel model) {
    Map<QualifiedName, ViewKind> kinds = new HashMap<>();
    model.views().forEach(view -> kinds.put(view.name(), view.kind()));
    return new Diagram(model.graph(), kinds);
  }

  /** Every view of a live database and the relations they read. */
  public static Diagram of(Catalog catalog) {
    Map<QualifiedName, ViewKind> kinds = new HashMap<>();
    catalog.views().forEach(view -> kinds.put(view.name(), view.kind()));
    return new Diagram(catalog.graph(), kinds);
  }

  /**
   * The views of {@code schemas} in a live database, and the relations they read (wherever those
   * are).
   */
  public static Diagram of(Catalog catalog, Collection<String> schemas) {
    DependencyGraph.Builder<QualifiedName> graph = DependencyGraph.builder();
    Map<QualifiedName, ViewKind> kinds = new HashMap<>();
    for (LiveView view : catalog.views()) {
      if (schemas.contains(view.name().schema())) {
        graph.addNode(view.name());
        kinds.put(view.name(), view.kind());
        catalog.graph().upstreamOf(view.name()).forEach(source -> {
          graph.addEdge(view.name(), source);
          catalog.view(source).ifPresent(live -> kinds.put(source, live.kind()));
        });
      }
    }
    return new Diagram(graph.build(), kinds);
  }

  /** A Mermaid flowchart, left to right. */
  public String mermaid() {
    Map<QualifiedName, String> ids = ids();
    Map<QualifiedName, Integer> refreshOrder = refreshOrder();
    StringBuilder out = new StringBuilder("flowchart LR\n");
    ids.forEach((name, id) -> {
      String label = escapeMermaid(name.toString())
          + (refreshOrder.containsKey(name) ? "<br/>refresh " + refreshOrder.get(name) : "");
      ViewKind kind = kinds.get(name);
      String shape = kind == ViewKind.MATERIALIZED_VIEW ? "[(\"" + label + "\")]"
          : kind == ViewKind.VIEW ? "(\"" + label + "\")" : "[\"" + label + "\"]";
      out.append("  ").append(id).append(shape).append(":::").append(style(kind)).append('\n');
    });
    ids.forEach((reader, id) -> graph.upstreamOf(reader)
        .forEach(source -> out.append("  ").append(ids.get(source)).append(" --> ").append(id).append('\n')));
    out.append("  classDef table fill:#f3f4f6,stroke:#6b7280\n")
        .append("  classDef view fill:#ffffff,stroke:#2563eb,stroke-dasharray:4 2\n")
        .append("  classDef matview fill:#dbeafe,stroke:#1d4ed8\n");
    return out.toString();
  }

  /** A Graphviz DOT digraph, left to right. */
  public String dot() {
    Map<QualifiedName, String> ids = ids();
    Map<QualifiedName, Integer> refreshOrder = refreshOrder();
    StringBuilder out = new StringBuilder("digraph mview {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n");
    ids.forEach((name, id) -> {
      String label = escapeDot(name.toString()) + (refreshOrder.containsKey(name) ? "\\nrefresh " + refreshOrder.get(name) : "");
      ViewKind kind = kinds.get(name);
      String look = kind == ViewKind.MATERIALIZED_VIEW ? "shape=cylinder, style=filled, fillcolor=\"#dbeafe\""
          : kind == ViewKind.VIEW ? "style=\"rounded,dashed\"" : "style=filled, fillcolor=\"#f3f4f6\"";
      out.append("  ").append(id).append(" [label=\"").append(label).append("\", ").append(look).append("];\n");
    });
    ids.forEach((reader, id) -> graph.upstreamOf(reader)
        .forEach(source -> out.append("  ").append(ids.get(source)).append(" -> ").append(id).append(";\n")));
    return out.append("}\n").toString();
  }

  /** Short stable node ids, in topological order. */
  private Map<QualifiedName, String> ids() {
    Map<QualifiedName, String> ids = new LinkedHashMap<>();
    for (QualifiedName name : graph.topologicalOrder()) {
      ids.put(name, "n" + ids.size());
    }
    return ids;
  }

  /** Materialized views numbered 1, 2, ... in the order a refresh takes them. */
  private Map<QualifiedName, Integer> refreshOrder() {
    Map<QualifiedName, Integer> order = new HashMap<>();
    List<QualifiedName> sorted = graph.topologicalOrder();
    for (QualifiedName name : sorted) {
      if (kinds.get(name) == ViewKind.MATERIALIZED_VIEW) {
        order.put(name, order.size() + 1);
      }
    }
    return order;
  }

  private static String style(ViewKind kind) {
    return kind == ViewKind.MATERIALIZED_VIEW ? "matview" : kind == ViewKind.VIEW ? "view" : "table";
  }

  private static String escapeMermaid(String text) {
    return text.replace("\"", "#quot;").replace("<", "#lt;").replace(">", "#gt;");
  }

  private static String escapeDot(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
