package dev.mview.it.liquibase;

/** The Liquibase scenario written as YAML changelogs ({@code yaml/views.yaml}, {@code yaml/views-v2.yaml}). */
class LiquibaseYamlTest extends LiquibaseScenario {
  @Override
  String folder() {
    return "dev/mview/it/liquibase/yaml";
  }

  @Override
  String extension() {
    return "yaml";
  }

  @Override
  String readerRole() {
    return "lb_yaml_reader";
  }
}
