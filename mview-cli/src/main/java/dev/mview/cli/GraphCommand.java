package dev.mview.cli;

import dev.mview.catalog.Catalog;
import dev.mview.diagram.Diagram;
import java.sql.Connection;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mview graph}: the live dependency graph as Mermaid or Graphviz DOT. */
@Command(name = "graph", sortOptions = false,
    description = "Print the dependency graph of views and materialized views (numbered in refresh order).")
final class GraphCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = {"-n", "--schema"}, paramLabel = "SCHEMA", description = "only this schema's views; repeatable")
  private java.util.List<String> schemas = new java.util.ArrayList<>();

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "mermaid",
      description = "mermaid or dot; default ${DEFAULT-VALUE}")
  private String format;

  @Mixin
  private ConnectionOptions connection;

  @Option(names = "--help", usageHelp = true, description = "show this help")
  private boolean help;

  @Override
  public Integer call() throws Exception {
    String chosen = format.strip().toLowerCase(Locale.ROOT);
    if (!chosen.equals("mermaid") && !chosen.equals("dot")) {
      throw new ParameterException(spec.commandLine(), "--format is '" + format + "': expected mermaid or dot");
    }
    try (Connection db = connection.connect()) {
      Catalog catalog = Catalog.readWithoutDefinitions(db);
      Diagram diagram = schemas.isEmpty() ? Diagram.of(catalog) : Diagram.of(catalog, schemas);
      spec.commandLine().getOut().print(chosen.equals("dot") ? diagram.dot() : diagram.mermaid());
    }
    return Main.OK;
  }
}
