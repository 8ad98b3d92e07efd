package dev.mview.spring.boot;

import dev.mview.model.QualifiedName;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Around a {@link RefreshAfterCommit} method: inside a transaction, asks for the refresh when it
 * commits (not at all when it rolls back); outside one (the method's own transaction has ended by
 * the time it returns), when the method returns normally.
 */
final class AfterCommitInterceptor implements MethodInterceptor {
  /** Looked up at the first call: the advisor exists before the beans the refresher needs. */
  private final Supplier<AfterCommitRefresher> refresher;

  AfterCommitInterceptor(Supplier<AfterCommitRefresher> refresher) {
    this.refresher = refresher;
  }

  @Override
  public Object invoke(MethodInvocation invocation) throws Throwable {
    Set<QualifiedName> tables = Arrays.stream(invocation.getMethod().getAnnotation(RefreshAfterCommit.class).tables())
        .map(QualifiedName::parse).collect(Collectors.toSet());
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCommit() {
          refresher.get().written(tables);
        }
      });
      return invocation.proceed();
    }
    Object result = invocation.proceed();
    refresher.get().written(tables);
    return result;
  }
}
