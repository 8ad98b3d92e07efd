package dev.mview.it.refresh;

import static org.junit.jupiter.api.Assertions.fail;

import dev.mview.it.support.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;

/**
 * Holds a refresh still at a known point: views built on {@code <schema>.gate(key)} block in their
 * query while the gate is closed, so a test can look at the database while a refresh is in
 * progress, without any timing.
 */
final class Gate implements AutoCloseable {
  private final TestDatabase db;
  private final int key;
  private final Connection holder;

  private Gate(TestDatabase db, int key) throws SQLException {
    this.db = db;
    this.key = key;
    this.holder = db.connect();
    try (Statement statement = holder.createStatement()) {
      statement.execute("SELECT pg_advisory_lock(" + key + ")");
    }
  }

  /** Creates {@code schema.gate(int)}: waits until the gate of that key is open, then returns true. */
  static void install(TestDatabase db, String schema) {
    db.execute("CREATE FUNCTION " + schema + ".gate(k int) RETURNS boolean LANGUAGE plpgsql VOLATILE AS"
        + " $$ BEGIN PERFORM pg_advisory_lock_shared(k); PERFORM pg_advisory_unlock_shared(k); RETURN true; END $$");
  }

  static Gate close(TestDatabase db, int key) throws SQLException {
    return new Gate(db, key);
  }

  /** Waits until some session is blocked at this gate: a refresh reached it. */
  void awaitSomeoneWaiting() {
    awaitTrue(db, "SELECT count(*) > 0 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        + " AND classid = 0 AND objid = " + key + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
  }

  void open() throws SQLException {
    holder.close();
  }

  @Override
  public void close() throws SQLException {
    if (!holder.isClosed()) {
      holder.close();
    }
  }

  /**
   * Polls {@code sql} (a boolean query) until it is true. The bound only keeps a broken test from
   * hanging; no assertion depends on how long anything takes.
   */
  static void awaitTrue(TestDatabase db, String sql, Object... parameters) {
    long giveUp = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < giveUp) {
      if (Objects.equals(Boolean.TRUE, db.value(sql, parameters))) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
    fail("never became true: " + sql);
  }
}
