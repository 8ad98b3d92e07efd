package dev.mview.it.liquibase;

import static org.junit.jupiter.api.Assertions.assertEquals;

import liquibase.util.LiquibaseUtil;
import org.junit.jupiter.api.Test;

/** Proves which Liquibase the suite ran on, so the version matrix cannot pass on the wrong jar. */
class LiquibaseVersionTest {
  @Test
  void runsOnTheExpectedLiquibase() {
    // The default run uses the managed version (4.33.0); the liquibase-5 execution sets the property.
    assertEquals(System.getProperty("mview.test.liquibase.expected", "4.33.0"), LiquibaseUtil.getBuildVersion());
  }
}
