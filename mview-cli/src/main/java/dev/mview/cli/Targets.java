package dev.mview.cli;

import dev.mview.model.QualifiedName;
import dev.mview.refresh.RefreshOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Which materialized views a command is about: named views, whole schemas, or (neither) all of them. */
final class Targets {
  @Parameters(paramLabel = "VIEW", arity = "0..*",
      description = "materialized views, schema.name as SQL reads it (\"Sales\".daily); none and no --schema: every one")
  private List<String> views = new ArrayList<>();

  @Option(names = {"-n", "--schema"}, paramLabel = "SCHEMA",
      description = "every materialized view of this schema (name as stored); repeatable")
  private List<String> schemas = new ArrayList<>();

  /** Adds the targets to {@code options}. */
  RefreshOptions.Builder addTo(RefreshOptions.Builder options) {
    views.forEach(view -> options.views(QualifiedName.parse(view)));
    options.schemas(schemas.toArray(String[]::new));
    return options;
  }

  List<QualifiedName> views() {
    return views.stream().map(QualifiedName::parse).toList();
  }

  List<String> schemas() {
    return schemas;
  }
}
