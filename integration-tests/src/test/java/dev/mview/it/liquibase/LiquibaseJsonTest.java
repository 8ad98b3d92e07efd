package dev.mview.it.liquibase;

/** The Liquibase scenario written as JSON changelogs ({@code json/views.json}, {@code json/views-v2.json}). */
class LiquibaseJsonTest extends LiquibaseScenario {
  @Override
  String folder() {
    return "dev/mview/it/liquibase/json";
  }

  @Override
  String extension() {
    return "json";
  }

  @Override
  String readerRole() {
    return "lb_json_reader";
  }
}
