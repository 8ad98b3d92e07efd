package dev.mview.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a method that writes to {@link #tables()}: once its transaction commits, the materialized
 * views that read those tables (found in the live dependency graph, those that read them through
 * other views included) are refreshed in dependency order, off the caller's thread. Nothing is
 * refreshed when the transaction rolls back. Bursts coalesce: while a refresh runs, the requests
 * that arrive wait as one. A failure is logged and counted, never thrown into the caller.
 *
 * <p>For tables written many times a second, prefer {@code mview.refresh.schedule}: each refresh
 * recomputes the whole view, however small the write.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RefreshAfterCommit {
  /** The tables the method writes, {@code schema.name} as SQL reads it. */
  String[] tables();
}
