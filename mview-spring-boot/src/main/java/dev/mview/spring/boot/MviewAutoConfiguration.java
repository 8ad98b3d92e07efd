package dev.mview.spring.boot;

import dev.mview.flyway.MviewRefreshCallback;
import dev.mview.refresh.OnBusy;
import dev.mview.refresh.RefreshListener;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.flywaydb.core.api.callback.Callback;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * mview in a Boot application, each part off until its property is set: the Flyway refresh
 * callback ({@code mview.refresh.after-migrate}), scheduled refreshes ({@code mview.refresh.schedule}),
 * the health indicator ({@code mview.refresh.max-staleness}); with Actuator on the class path, the
 * {@code mview} endpoint (exposed as any endpoint is), and with Micrometer, meters of the
 * scheduled refreshes; methods annotated {@link RefreshAfterCommit} refresh after their commit.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    beforeName = "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration")
@EnableConfigurationProperties(MviewRefreshProperties.class)
public class MviewAutoConfiguration {

  /** Boot hands {@code Callback} beans to Flyway: this one refreshes after migrate. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"org.flywaydb.core.Flyway", "dev.mview.flyway.MviewRefreshCallback"})
  @ConditionalOnProperty(prefix = "mview.refresh", name = "after-migrate", havingValue = "true")
  static class FlywayRefresh {
    @Bean
    @ConditionalOnMissingBean(MviewRefreshCallback.class)
    Callback mviewRefreshCallback(MviewRefreshProperties properties) {
      MviewRefreshCallback callback = MviewRefreshCallback.of(properties.options(OnBusy.WAIT));
      return properties.isAlways() ? callback.always() : callback;
    }
  }

  /** Refreshes on {@code mview.refresh.schedule}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "mview.refresh", name = "schedule")
  @ConditionalOnBean(DataSource.class)
  static class ScheduledRefresh {
    @Bean
    @ConditionalOnMissingBean
    MviewRefresher mviewRefresher(DataSource dataSource, MviewRefreshProperties properties,
        ObjectProvider<RefreshListener> listeners) {
      return new MviewRefresher(dataSource, properties, listeners.orderedStream().toList());
    }

    /** On the application's task scheduler when it has one, else on a scheduler of its own built by Boot's builder. */
    @Bean
    MviewScheduledRefresh mviewScheduledRefresh(MviewRefresher refresher, MviewRefreshProperties properties,
        ObjectProvider<TaskScheduler> schedulers, ObjectProvider<ThreadPoolTaskSchedulerBuilder> builders) {
      TaskScheduler scheduler = schedulers.getIfUnique();
      ThreadPoolTaskScheduler own = null;
      if (scheduler == null) {
        own = builders.getIfAvailable(ThreadPoolTaskSchedulerBuilder::new).poolSize(1).threadNamePrefix("mview-")
            .build();
        own.initialize();
        scheduler = own;
      }
      return new MviewScheduledRefresh(refresher, scheduler, own, properties.getSchedule());
    }
  }

  /**
   * {@link RefreshAfterCommit}: an advisor on the annotated methods, and the refresher they feed.
   * Only an application that uses the annotation gets proxies.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.transaction.support.TransactionSynchronizationManager")
  @ConditionalOnBean(DataSource.class)
  static class AfterCommit {
    @Bean
    @ConditionalOnMissingBean
    AfterCommitRefresher mviewAfterCommitRefresher(DataSource dataSource, MviewRefreshProperties properties,
        ObjectProvider<RefreshListener> listeners) {
      return new AfterCommitRefresher(dataSource, properties.getMode(), listeners.orderedStream().toList());
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor mviewAfterCommitAdvisor(ObjectProvider<AfterCommitRefresher> refresher) {
      return new DefaultPointcutAdvisor(AnnotationMatchingPointcut.forMethodAnnotation(RefreshAfterCommit.class),
          new AfterCommitInterceptor(refresher::getObject));
    }
  }

  /** Meters of the refreshes this application runs, when Micrometer is there. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  static class Metrics {
    /** The registry is looked up as each refresh ends: Boot's metrics auto-configuration may come after this one. */
    @Bean
    @ConditionalOnMissingBean
    MviewMetrics mviewMetrics(ObjectProvider<MeterRegistry> registry) {
      return new MviewMetrics(registry);
    }
  }

  /** The {@code mview} Actuator endpoint. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(Endpoint.class)
  @ConditionalOnBean(DataSource.class)
  static class ActuatorEndpoint {
    @Bean
    @ConditionalOnMissingBean
    MviewEndpoint mviewEndpoint(DataSource dataSource, MviewRefreshProperties properties) {
      return new MviewEndpoint(dataSource, properties);
    }
  }

  /** The health indicator {@code mview}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnProperty(prefix = "mview.refresh", name = "max-staleness")
  @ConditionalOnBean(DataSource.class)
  static class Staleness {
    @Bean
    @ConditionalOnMissingBean(name = "mviewHealthIndicator")
    MviewHealthIndicator mviewHealthIndicator(DataSource dataSource, MviewRefreshProperties properties) {
      return new MviewHealthIndicator(dataSource, properties);
    }
  }
}
