package dev.mview.benchmarks;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** Wraps a connection so that every statement executed through it is counted. */
final class QueryCounter {
  private final AtomicInteger count = new AtomicInteger();

  int count() {
    return count.get();
  }

  Connection wrap(Connection connection) {
    return proxy(connection, Connection.class);
  }

  private <T> T proxy(T target, Class<T> type) {
    InvocationHandler handler = (proxy, method, arguments) -> invoke(target, method, arguments);
    return type.cast(Proxy.newProxyInstance(QueryCounter.class.getClassLoader(), new Class<?>[] {type}, handler));
  }

  private Object invoke(Object target, Method method, Object[] arguments) throws Throwable {
    if (method.getName().startsWith("execute")) {
      count.incrementAndGet();
    }
    Object result;
    try {
      result = method.invoke(target, arguments);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
    if (result instanceof Statement && method.getReturnType().isInterface()
        && Statement.class.isAssignableFrom(method.getReturnType())) {
      @SuppressWarnings("unchecked")
      Class<Statement> type = (Class<Statement>) method.getReturnType();
      return proxy((Statement) result, type);
    }
    return result;
  }
}
