package dev.mview.spring.boot;

import dev.mview.catalog.Catalog;
import dev.mview.catalog.LiveView;
import dev.mview.model.QualifiedName;
import dev.mview.refresh.OnBusy;
import dev.mview.refresh.RefreshHistory;
import dev.mview.refresh.RefreshListener;
import dev.mview.refresh.RefreshMode;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.RefreshReport;
import dev.mview.refresh.RefreshResult;
import dev.mview.refresh.Refresher;
import java.sql.Connection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Refreshes, off the callers' threads, the materialized views that read tables written by
 * committed transactions ({@link RefreshAfterCommit}). One refresh runs at a time; the tables
 * named while it runs are gathered into the next one, so a burst of commits costs a few refreshes,
 * and each view is at most once running and once pending.
 */
public class AfterCommitRefresher implements DisposableBean {
  private static final Log LOG = LogFactory.getLog(AfterCommitRefresher.class);

  private final DataSource dataSource;
  private final RefreshMode mode;
  private final List<RefreshListener> listeners;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
    Thread thread = new Thread(task, "mview-after-commit");
    thread.setDaemon(true);
    return thread;
  });
  private final Set<QualifiedName> pending = new LinkedHashSet<>();
  private boolean queued;
  private boolean running;

  AfterCommitRefresher(DataSource dataSource, RefreshMode mode, List<RefreshListener> listeners) {
    this.dataSource = dataSource;
    this.mode = mode;
    this.listeners = List.copyOf(listeners);
  }

  /** Asks for the views that read {@code tables} to be refreshed; returns at once. */
  public synchronized void written(Set<QualifiedName> tables) {
    pending.addAll(tables);
    if (!queued) {
      queued = true;
      executor.execute(this::drain);
    }
  }

  /** Whether nothing is running or waiting (for tests and shutdown). */
  synchronized boolean idle() {
    return !queued && !running;
  }

  private void drain() {
    while (true) {
      Set<QualifiedName> tables;
      synchronized (this) {
        if (pending.isEmpty()) {
          queued = false;
          running = false;
          return;
        }
        tables = new LinkedHashSet<>(pending);
        pending.clear();
        running = true;
      }
      refresh(tables);
    }
  }

  private void refresh(Set<QualifiedName> tables) {
    try {
      List<QualifiedName> views = readers(tables);
      if (views.isEmpty()) {
        return;
      }
      RefreshOptions options = RefreshOptions.builder().views(views.toArray(QualifiedName[]::new)).mode(mode)
          .onBusy(OnBusy.WAIT).history(RefreshHistory.defaults().ranBy("spring after commit")).build();
      RefreshReport report = Refresher.refresh(dataSource, options, new RefreshListener() {
        @Override
        public void finished(RefreshResult result) {
          listeners.forEach(listener -> listener.finished(result));
        }
      });
      if (report.failed()) {
        LOG.warn("mview refresh after commit failed:\n" + report.failureSummary());
      }
    } catch (RuntimeException | java.sql.SQLException e) {
      LOG.warn("mview refresh after commit of " + tables + " failed: " + e.getMessage(), e);
    }
  }

  /** The materialized views that read {@code tables}, directly or through other views, in the live graph. */
  private List<QualifiedName> readers(Set<QualifiedName> tables) throws java.sql.SQLException {
    try (Connection connection = dataSource.getConnection()) {
      Catalog catalog = Catalog.readWithoutDefinitions(connection);
      return catalog.dependentsOf(tables).stream()
          .filter(name -> catalog.view(name).map(LiveView::isMaterialized).orElse(false))
          .filter(name -> !name.name().startsWith(Catalog.SWAP_COPY_PREFIX))
          .toList();
    }
  }

  @Override
  public void destroy() {
    executor.shutdownNow();
  }
}
