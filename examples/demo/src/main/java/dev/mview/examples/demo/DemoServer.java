package dev.mview.examples.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL the demo runs on: the user's server when a JDBC URL is given, otherwise an embedded
 * one started for the demo and stopped after it.
 */
final class DemoServer implements AutoCloseable {
  private final EmbeddedPostgres embedded;
  private final PGSimpleDataSource dataSource;
  private final String description;

  private DemoServer(EmbeddedPostgres embedded, PGSimpleDataSource dataSource, String description) {
    this.embedded = embedded;
    this.dataSource = dataSource;
    this.description = description;
  }

  static DemoServer start(DemoSettings settings) throws IOException {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    if (settings.jdbcUrl() != null) {
      dataSource.setUrl(settings.jdbcUrl());
      if (settings.user() != null) {
        dataSource.setUser(settings.user());
      }
      if (settings.password() != null) {
        dataSource.setPassword(settings.password());
      }
      return new DemoServer(null, dataSource, "your server " + settings.jdbcUrl());
    }
    EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
    dataSource.setUrl(embedded.getJdbcUrl("postgres", "postgres"));
    dataSource.setUser("postgres");
    return new DemoServer(embedded, dataSource, "an embedded server on port " + embedded.getPort());
  }

  DataSource dataSource() {
    return dataSource;
  }

  String url() {
    return dataSource.getUrl();
  }

  String user() {
    return dataSource.getUser();
  }

  String password() {
    return dataSource.getPassword();
  }

  String description() throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      return "PostgreSQL " + connection.getMetaData().getDatabaseProductVersion() + " on " + description;
    }
  }

  @Override
  public void close() throws IOException {
    if (embedded != null) {
      embedded.close();
    }
  }
}
