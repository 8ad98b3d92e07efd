package dev.mview.spring.boot;

import dev.mview.refresh.RefreshListener;
import dev.mview.refresh.RefreshOutcome;
import dev.mview.refresh.RefreshResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Micrometer meters of the refreshes this application runs: the timer {@code mview.refresh} per
 * view (tags {@code view}, {@code strategy}) for each successful refresh, and the counter
 * {@code mview.refresh.failures} per view.
 */
public class MviewMetrics implements RefreshListener {
  private final ObjectProvider<MeterRegistry> registries;

  MviewMetrics(ObjectProvider<MeterRegistry> registries) {
    this.registries = registries;
  }

  @Override
  public void finished(RefreshResult result) {
    MeterRegistry registry = registries.getIfUnique();
    if (registry == null) {
      return; // no registry in this application
    }
    String view = result.view().toString();
    if (result.outcome() == RefreshOutcome.REFRESHED) {
      Timer.builder("mview.refresh").description("Materialized view refreshes")
          .tag("view", view).tag("strategy", result.strategy().name().toLowerCase(java.util.Locale.ROOT))
          .register(registry).record(result.duration());
    } else if (result.outcome() == RefreshOutcome.FAILED) {
      Counter.builder("mview.refresh.failures").description("Materialized view refreshes that failed")
          .tag("view", view).register(registry).increment();
    }
  }
}
