package dev.mview.it.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A database of its own for one test class, on the JVM's one server. Gives connections and a
 * {@link DataSource}, and small helpers to run SQL and read rows back for assertions.
 */
public final class TestDatabase {
  private final PostgresServer server;
  private final String name;

  TestDatabase(PostgresServer server, String name) {
    this.server = server;
    this.name = name;
  }

  /** The database's name. */
  public String name() {
    return name;
  }

  public String jdbcUrl() {
    return server.urlOf(name);
  }

  public String user() {
    return server.credentials().getProperty("user");
  }

  public String password() {
    return server.credentials().getProperty("password");
  }

  /** A new connection (auto-commit on); the caller closes it. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), server.credentials());
  }

  /** A data source for this database, handing out new connections. */
  public DataSource dataSource() {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(jdbcUrl());
    dataSource.setUser(user());
    if (password() != null) {
      dataSource.setPassword(password());
    }
    return dataSource;
  }

  /** Runs each statement in its own auto-committed step. */
  public void execute(String... statements) {
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Every row of {@code sql}, each a map from column label to value, in query order. */
  public List<Map<String, Object>> rows(String sql, Object... parameters) {
    try (Connection connection = connect();
        var statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet resultSet = statement.executeQuery()) {
        ResultSetMetaData meta = resultSet.getMetaData();
        List<Map<String, Object>> rows = new ArrayList<>();
        while (resultSet.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int column = 1; column <= meta.getColumnCount(); column++) {
            row.put(meta.getColumnLabel(column), resultSet.getObject(column));
          }
          rows.add(row);
        }
        return rows;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage() + "\n  in: " + sql, e);
    }
  }

  /** The first column of every row of {@code sql}. */
  @SuppressWarnings("unchecked")
  public <T> List<T> column(String sql, Object... parameters) {
    List<T> values = new ArrayList<>();
    for (Map<String, Object> row : rows(sql, parameters)) {
      values.add((T) row.values().iterator().next());
    }
    return values;
  }

  /** The single value of a one-row, one-column query. */
  public <T> T value(String sql, Object... parameters) {
    List<T> values = column(sql, parameters);
    if (values.size() != 1) {
      throw new IllegalStateException("expected one row, got " + values.size() + " from: " + sql);
    }
    return values.get(0);
  }

  /** The server's major version, for tests of version-dependent behaviour. */
  public int majorVersion() {
    return this.<Number>value("SELECT current_setting('server_version_num')::int / 10000").intValue();
  }
}
