package dev.mview.spring.boot;

import dev.mview.refresh.OnBusy;
import dev.mview.refresh.RefreshHistory;
import dev.mview.refresh.RefreshListener;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.RefreshReport;
import dev.mview.refresh.RefreshResult;
import dev.mview.refresh.Refresher;
import java.util.List;
import javax.sql.DataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Refreshes what {@code mview.refresh.*} names on the application's data source, telling the
 * listeners (metrics) of each view. A view another instance is refreshing is skipped, so instances
 * on one schedule take turns rather than refreshing a view twice.
 */
public class MviewRefresher {
  private static final Log LOG = LogFactory.getLog(MviewRefresher.class);

  private final DataSource dataSource;
  private final MviewRefreshProperties properties;
  private final List<RefreshListener> listeners;

  MviewRefresher(DataSource dataSource, MviewRefreshProperties properties, List<RefreshListener> listeners) {
    this.dataSource = dataSource;
    this.properties = properties;
    this.listeners = List.copyOf(listeners);
  }

  /** Refreshes now, as run by {@code ranBy}; never throws for a failed view (see the report). */
  public RefreshReport refresh(String ranBy) {
    RefreshOptions options = properties.options(OnBusy.SKIP).toBuilder()
        .history(RefreshHistory.defaults().ranBy(ranBy)).build();
    RefreshReport report = Refresher.refresh(dataSource, options, new RefreshListener() {
      @Override
      public void finished(RefreshResult result) {
        listeners.forEach(listener -> listener.finished(result));
      }
    });
    if (report.failed()) {
      LOG.warn("mview refresh (" + ranBy + ") failed:\n" + report.failureSummary());
    } else {
      LOG.info("mview refresh (" + ranBy + "): " + report.results().size() + " views in "
          + report.wallTime().toMillis() + " ms");
    }
    return report;
  }
}
