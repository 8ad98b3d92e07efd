/** Pictures of dependency graphs, as Mermaid and Graphviz DOT text. */
package dev.mview.diagram;
