package dev.mview.spring.boot;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import java.util.concurrent.ScheduledFuture;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronTrigger;

/**
 * Runs {@link MviewRefresher} on {@code mview.refresh.schedule}, one run at a time in this
 * instance; across instances the engine's per-view advisory locks keep two from refreshing a view
 * at once (the second skips it).
 */
public class MviewScheduledRefresh implements SmartInitializingSingleton, DisposableBean {
  private static final Log LOG = LogFactory.getLog(MviewScheduledRefresh.class);

  private final MviewRefresher refresher;
  private final TaskScheduler scheduler;
  private final ThreadPoolTaskScheduler own;
  private final CronTrigger trigger;
  private ScheduledFuture<?> task;

  /** {@code own}: the scheduler made for this alone, shut down with it; null when it is the application's. */
  MviewScheduledRefresh(MviewRefresher refresher, TaskScheduler scheduler, ThreadPoolTaskScheduler own, String cron) {
    this.refresher = refresher;
    this.scheduler = scheduler;
    this.own = own;
    this.trigger = new CronTrigger(cron);
  }

  @Override
  public void afterSingletonsInstantiated() {
    task = scheduler.schedule(this::run, trigger);
  }

  private synchronized void run() {
    try {
      refresher.refresh("spring schedule");
    } catch (RuntimeException e) {
      LOG.warn("mview scheduled refresh failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void destroy() {
    if (task != null) {
      task.cancel(false);
    }
    if (own != null) {
      own.shutdown();
    }
  }
}
