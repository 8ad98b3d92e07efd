/**
 * Spring Boot auto-configuration for mview ({@link dev.mview.spring.boot.MviewAutoConfiguration}):
 * properties {@code mview.refresh.*}, the Flyway refresh callback, scheduled refreshes, the
 * {@code mview} Actuator endpoint, a staleness health indicator and Micrometer meters.
 */
package dev.mview.spring.boot;
