package dev.mview.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.MviewException;
import org.flywaydb.core.api.callback.Event;
import org.junit.jupiter.api.Test;

class MviewRefreshCallbackTest {

  @Test
  void byDefaultRefreshesOnlyAfterAMigrateThatAppliedSomething() {
    MviewRefreshCallback callback = MviewRefreshCallback.schemas("analytics");

    assertTrue(callback.supports(Event.AFTER_MIGRATE_APPLIED, null));
    assertFalse(callback.supports(Event.AFTER_MIGRATE, null));
    assertFalse(callback.supports(Event.AFTER_CLEAN, null));
  }

  @Test
  void alwaysRefreshesAfterEveryMigrate() {
    MviewRefreshCallback callback = MviewRefreshCallback.views("analytics.daily").always();

    assertTrue(callback.supports(Event.AFTER_MIGRATE, null));
    assertFalse(callback.supports(Event.AFTER_MIGRATE_APPLIED, null));
  }

  @Test
  void needsSomethingToRefresh() {
    assertEquals("MviewRefreshCallback.views needs at least one view name",
        assertThrows(MviewException.class, MviewRefreshCallback::views).getMessage());
  }
}
