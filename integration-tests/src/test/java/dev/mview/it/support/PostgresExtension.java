package dev.mview.it.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class a fresh database on a real PostgreSQL (see {@link PostgresServer} for which
 * server), injected as a {@link TestDatabase} parameter into constructors, lifecycle and test
 * methods, and dropped after the class.
 *
 * <pre>{@code
 * @ExtendWith(PostgresExtension.class)
 * class MyTest {
 *   @Test void works(TestDatabase db) { ... }
 * }
 * }</pre>
 */
public final class PostgresExtension
    implements ExecutionCondition, BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);
  private static final AtomicInteger COUNTER = new AtomicInteger();

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    return PostgresServer.unavailableReason()
        .map(ConditionEvaluationResult::disabled)
        .orElseGet(() -> ConditionEvaluationResult.enabled("a PostgreSQL server is available"));
  }

  @Override
  public void beforeAll(ExtensionContext context) throws SQLException {
    PostgresServer server = PostgresServer.get();
    String name = ("mview_" + context.getRequiredTestClass().getSimpleName() + "_" + ProcessHandle.current().pid()
        + "_" + COUNTER.incrementAndGet()).toLowerCase(Locale.ROOT);
    try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    context.getStore(NAMESPACE).put(TestDatabase.class, new TestDatabase(server, name));
  }

  @Override
  public void afterAll(ExtensionContext context) throws SQLException {
    TestDatabase database = context.getStore(NAMESPACE).remove(TestDatabase.class, TestDatabase.class);
    if (database != null) {
      try (Connection connection = PostgresServer.get().connect(); Statement statement = connection.createStatement()) {
        statement.execute("DROP DATABASE IF EXISTS " + database.name() + " WITH (FORCE)");
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestDatabase.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getStore(NAMESPACE).get(TestDatabase.class) == null && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    TestDatabase database = classContext.getStore(NAMESPACE).get(TestDatabase.class, TestDatabase.class);
    if (database == null) {
      throw new IllegalStateException("no test database: register PostgresExtension on the test class");
    }
    return database;
  }
}
