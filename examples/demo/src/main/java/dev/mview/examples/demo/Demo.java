package dev.mview.examples.demo;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The mview demo: a short, real story on a real PostgreSQL. Run from the repository root with
 * {@code mvn -B -q -Pdemo -pl examples/demo -am package}; add
 * {@code -Ddemo.args="--jdbc-url=jdbc:postgresql://host/db --user=u --password=p"} to run it on your
 * own server (it creates and drops only the schemas {@code demo_*} and the role
 * {@code demo_reporting}).
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws Exception {
    // Flyway, Liquibase and mview log progress through java.util.logging; the story prints its own.
    Logger.getLogger("").setLevel(Level.WARNING);
    DemoSettings settings = DemoSettings.parse(args);
    try (DemoServer server = DemoServer.start(settings)) {
      Console console = new Console(System.out, server.dataSource());
      console.say("mview demo on " + server.description());
      new FlywayStory(server.dataSource(), console).run();
      new LiquibaseStory(server, console).run();
      console.say("");
      console.say("Done.");
    }
  }
}
