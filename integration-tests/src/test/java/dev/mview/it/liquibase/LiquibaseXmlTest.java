package dev.mview.it.liquibase;

/** The Liquibase scenario written as XML changelogs ({@code xml/views.xml}, {@code xml/views-v2.xml}). */
class LiquibaseXmlTest extends LiquibaseScenario {
  @Override
  String folder() {
    return "dev/mview/it/liquibase/xml";
  }

  @Override
  String extension() {
    return "xml";
  }

  @Override
  String readerRole() {
    return "lb_xml_reader";
  }
}
