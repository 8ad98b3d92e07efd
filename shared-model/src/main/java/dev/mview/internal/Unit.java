package dev.mview.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;

/**
 * Work that applies as one unit on a connection, wherever the connection stands: with auto-commit
 * on, in a transaction of its own; inside a caller's transaction (a Flyway migration, a Liquibase
 * changeset), under a savepoint, leaving the commit to the caller. Closing a unit that was not
 * committed undoes it, so
 *
 * <pre>{@code
 * try (Unit unit = Unit.begin(connection)) {
 *   ...
 *   unit.commit();
 * }
 * }</pre>
 *
 * applies all or nothing, and a unit never committed is a rolled-back probe. The connection is
 * handed back in the auto-commit state it came in.
 */
public final class Unit implements AutoCloseable {
  private final Connection connection;
  private final boolean ownTransaction;
  private final Savepoint savepoint;
  private boolean ended;

  private Unit(Connection connection, boolean ownTransaction, Savepoint savepoint) {
    this.connection = connection;
    this.ownTransaction = ownTransaction;
    this.savepoint = savepoint;
  }

  /** Starts a unit: a transaction when {@code connection} auto-commits, else a savepoint. */
  public static Unit begin(Connection connection) throws SQLException {
    if (connection.getAutoCommit()) {
      connection.setAutoCommit(false);
      return new Unit(connection, true, null);
    }
    return new Unit(connection, false, connection.setSavepoint());
  }

  /** Whether the unit runs in a transaction of its own (the connection auto-committed). */
  public boolean ownTransaction() {
    return ownTransaction;
  }

  /** Keeps the unit's work: commits its transaction, or releases its savepoint. */
  public void commit() throws SQLException {
    ended = true;
    if (ownTransaction) {
      connection.commit();
    } else {
      connection.releaseSavepoint(savepoint);
    }
  }

  /** Undoes the unit's work: rolls back its transaction, or to its savepoint. */
  public void rollback() throws SQLException {
    ended = true;
    if (ownTransaction) {
      connection.rollback();
    } else {
      connection.rollback(savepoint);
      connection.releaseSavepoint(savepoint);
    }
  }

  /** Undoes the work unless it was committed, and restores auto-commit when the unit turned it off. */
  @Override
  public void close() throws SQLException {
    try {
      if (!ended) {
        rollback();
      }
    } finally {
      if (ownTransaction) {
        connection.setAutoCommit(true);
      }
    }
  }
}
