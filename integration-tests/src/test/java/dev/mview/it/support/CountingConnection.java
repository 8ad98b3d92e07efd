package dev.mview.it.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Wraps a real connection and records every SQL round trip made through it (statement executions
 * and batches), so a test can count what a piece of code sends to the server.
 */
public final class CountingConnection {
  private static final Set<String> EXECUTIONS = Set.of("execute", "executeQuery", "executeUpdate",
      "executeLargeUpdate", "executeBatch", "executeLargeBatch");

  private final List<String> sent = Collections.synchronizedList(new ArrayList<>());
  private final Connection connection;

  public CountingConnection(Connection real) {
    this.connection = proxy(Connection.class, real, null);
  }

  /** The connection to hand to the code under test. */
  public Connection connection() {
    return connection;
  }

  /** The SQL sent so far, one entry per round trip (prepared statements show their SQL). */
  public List<String> sent() {
    return List.copyOf(sent);
  }

  private <T> T proxy(Class<T> type, Object real, String preparedSql) {
    InvocationHandler handler = (p, method, args) -> {
      if (EXECUTIONS.contains(method.getName())) {
        sent.add(args != null && args.length > 0 && args[0] instanceof String sql ? sql : String.valueOf(preparedSql));
      }
      Object result = invoke(method, real, args);
      if (result instanceof Statement statement && type == Connection.class) {
        String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
        Class<? extends Statement> kind = method.getReturnType().asSubclass(Statement.class);
        return proxy(kind, statement, sql);
      }
      return result;
    };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
