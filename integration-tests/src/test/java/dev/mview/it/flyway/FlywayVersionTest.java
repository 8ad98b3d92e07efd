package dev.mview.it.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** The Flyway tests run on the Flyway version the build asked for, so the version matrix cannot test the wrong one. */
class FlywayVersionTest {

  @Test
  void runsOnTheRequestedFlyway() throws IOException {
    String expected = System.getProperty("mview.test.flyway.version");
    try (InputStream in = Flyway.class.getResourceAsStream("/org/flywaydb/core/internal/version.txt")) {
      assertEquals(expected, new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
    }
  }
}
