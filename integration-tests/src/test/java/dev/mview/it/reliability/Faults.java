package dev.mview.it.reliability;

import dev.mview.it.support.TestDatabase;
import dev.mview.sql.Literals;

/**
 * Faults injected by the server itself, at the n-th DDL statement of a session that asks for them:
 * an event trigger on {@code ddl_command_start} counts the statements of sessions started with
 * {@code -c mview.fault=on} and, at the one configured, raises an error, waits for a lock another
 * session holds until {@code lock_timeout}, sleeps past {@code statement_timeout}, terminates its own
 * backend with {@code pg_terminate_backend}, or sleeps (for a test to kill the client meanwhile).
 * Every other session is left alone. The trigger runs as its owner, so it fires the same under
 * the {@code SET LOCAL ROLE} mview uses to give a grant in its grantor's name.
 */
final class Faults {
  /** The fault kinds, as the trigger names them. */
  enum Kind {
    ERROR, LOCK_TIMEOUT, STATEMENT_TIMEOUT, TERMINATE, SLEEP
  }

  /** The server settings a session takes to be counted (and, for a statement timeout, to time out). */
  static String[] settings(Kind kind) {
    return kind == Kind.STATEMENT_TIMEOUT ? new String[] {"mview.fault=on", "statement_timeout=1000"}
        : new String[] {"mview.fault=on"};
  }

  private Faults() {}

  /** Installs the trigger, its counter and the table whose lock the lock fault waits for. */
  static void install(TestDatabase db) {
    db.execute("CREATE SCHEMA fault", "CREATE TABLE fault.held (id int)",
        "CREATE TABLE fault.config (at bigint, kind text)", "INSERT INTO fault.config VALUES (NULL, NULL)",
        "CREATE SEQUENCE fault.counter",
        """
        CREATE FUNCTION fault.inject() RETURNS event_trigger LANGUAGE plpgsql SECURITY DEFINER AS $f$
        DECLARE
          step bigint;
          planned record;
        BEGIN
          IF coalesce(current_setting('mview.fault', true), '') <> 'on' THEN
            RETURN;
          END IF;
          step := nextval('fault.counter');
          SELECT * INTO planned FROM fault.config;
          IF planned.at IS NULL OR step <> planned.at THEN
            RETURN;
          END IF;
          CASE planned.kind
            WHEN 'ERROR' THEN RAISE EXCEPTION 'injected failure at DDL statement % (%)', step, tg_tag;
            WHEN 'LOCK_TIMEOUT' THEN
              PERFORM set_config('lock_timeout', '200ms', true);
              LOCK TABLE fault.held IN ACCESS EXCLUSIVE MODE;
            WHEN 'STATEMENT_TIMEOUT' THEN PERFORM pg_sleep(30);
            WHEN 'TERMINATE' THEN
              PERFORM pg_terminate_backend(pg_backend_pid());
              PERFORM pg_sleep(30);
            ELSE PERFORM pg_sleep(300);
          END CASE;
        END
        $f$""",
        "CREATE EVENT TRIGGER fault_inject ON ddl_command_start EXECUTE FUNCTION fault.inject()");
  }

  /** Arms the fault for the next counted session: {@code kind} at its DDL statement {@code at} (1-based). */
  static void arm(TestDatabase db, long at, Kind kind) {
    db.execute("UPDATE fault.config SET at = " + at + ", kind = " + Literals.string(kind.name()),
        "SELECT setval('fault.counter', 1, false)");
  }

  /** The DDL statements counted since {@link #arm}. */
  static long counted(TestDatabase db) {
    return db.<Long>value("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM fault.counter");
  }
}
