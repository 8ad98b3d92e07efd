package dev.mview.it.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Another fresh database on the test server, beside a test class's own, for tests that need two: a
 * diff's reference and target, or an empty database to apply a generated changelog to. Dropped on
 * {@link #close}.
 */
public final class SiblingDatabase implements AutoCloseable {
  private final TestDatabase db;

  private SiblingDatabase(TestDatabase db) {
    this.db = db;
  }

  /** A new empty database named after {@code db} with {@code suffix} (lower-case letters, digits, _). */
  public static SiblingDatabase beside(TestDatabase db, String suffix) throws SQLException {
    if (!suffix.matches("[a-z0-9_]+")) {
      throw new IllegalArgumentException("suffix '" + suffix + "': use lower-case letters, digits and _");
    }
    String name = db.name() + "_" + suffix;
    try (Connection connection = PostgresServer.get().connect(); Statement statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      statement.execute("CREATE DATABASE " + name);
    }
    return new SiblingDatabase(new TestDatabase(PostgresServer.get(), name));
  }

  /** The database. */
  public TestDatabase db() {
    return db;
  }

  @Override
  public void close() throws SQLException {
    try (Connection connection = PostgresServer.get().connect(); Statement statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + db.name() + " WITH (FORCE)");
    }
  }
}
