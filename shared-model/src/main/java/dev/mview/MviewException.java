package dev.mview;

import java.util.Objects;

/**
 * The one unchecked exception mview throws. Its message names the view (and, where known, the
 * migration or changeset), says what went wrong and what to do; its {@link #kind()} says which
 * rule was broken, so that front ends can add the hint their own users need (the Liquibase
 * property, the Flyway setting) without reading the message. Front ends wrap it into their host
 * tool's exception at the boundary, keeping it as the cause.
 */
public class MviewException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, in terms of mview's rules. */
  public enum Kind {
    /** A name, query, index, option or setting is not usable; nothing was read or changed. */
    INVALID_DECLARATION,
    /** Views of the model (or of the model and the database) read each other in a cycle. */
    CYCLE,
    /** A declared query does not run on the database (a missing relation or column, a typo). */
    QUERY_DOES_NOT_RUN,
    /** A view that others read was to be dropped without dropping them too. */
    HAS_DEPENDENTS,
    /** A view named to refresh or drop does not exist. */
    NO_SUCH_VIEW,
    /** A declared view's schema does not exist in the database; mview does not create schemas. */
    NO_SUCH_SCHEMA,
    /** A view declared to be created only (not replaced) exists already. */
    ALREADY_EXISTS,
    /** A view named to refresh is a plain view, not a materialized one. */
    NOT_MATERIALIZED,
    /** A refresh asked not to block readers, and a view can only be refreshed blocking them. */
    CANNOT_REFRESH_WITHOUT_BLOCKING,
    /** One or more views failed to refresh; the others were refreshed or skipped. */
    REFRESH_FAILED,
    /** A statement of a plan failed on the database; the whole plan was rolled back. */
    STATEMENT_FAILED,
    /**
     * What was asked cannot be undone: a step planned without knowing what it replaced, or a
     * rollback through a migration that mview did not record.
     */
    IRREVERSIBLE,
    /** The catalog changed while it was being read or planned from; planning again resolves it. */
    CATALOG_CHANGED,
    /** The database could not be reached or read (connection, permissions, a broken session). */
    DATABASE,
    /** A file (a query file, an undo script) could not be read or written. */
    FILE,
    /** A fault in mview itself, or its API used against its contract; the message says which. */
    INTERNAL
  }

  private final Kind kind;

  /** An exception of {@code kind} whose message says what went wrong and what to do. */
  public MviewException(Kind kind, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /** An exception of {@code kind} caused by {@code cause}, which is kept. */
  public MviewException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /** Which rule was broken. */
  public Kind kind() {
    return kind;
  }
}
