package dev.mview.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mview.MviewException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RefreshHistoryTest {
  @Test
  void aFrontEndPlacesTheHistoryBesideItsOwnOnlyWhereNoSchemaWasChosen() {
    RefreshHistory placed = RefreshHistory.defaults().keepPerView(7).beside("flyway_schema", "flyway callback");
    assertEquals(Optional.of("flyway_schema"), placed.schema());
    assertEquals(7, placed.keepPerView());
    assertEquals("flyway callback", placed.ranBy());

    RefreshHistory chosen = RefreshHistory.inSchema("ops").beside("flyway_schema", "flyway callback");
    assertEquals(Optional.of("ops"), chosen.schema());
    assertEquals("flyway callback", chosen.ranBy());

    assertFalse(RefreshHistory.off().beside("flyway_schema", "liquibase").enabled());
  }

  @Test
  void settingsThatCannotWorkAreRefusedSayingWhatToUse() {
    assertEquals("refresh history keepPerView must be at least 1, was 0; use RefreshHistory.off() to record nothing",
        assertThrows(MviewException.class, () -> RefreshHistory.defaults().keepPerView(0)).getMessage());
    assertEquals("the refresh history schema must not be blank, was ' '; use RefreshHistory.defaults() for the default",
        assertThrows(MviewException.class, () -> RefreshHistory.inSchema(" ")).getMessage());
    assertEquals(MviewException.Kind.INTERNAL,
        assertThrows(MviewException.class, () -> RefreshHistory.defaults().tableStatements()).kind());
  }

  @Test
  void theTableIsCreatedUnderALockSoTwoSessionsCannotRaceOnIt() {
    List<String> statements = RefreshHistory.inSchema("Ops").tableStatements();
    assertEquals("SELECT pg_advisory_xact_lock(1836476773, " + Refresher.lockKey(dev.mview.model.QualifiedName.of(
        "Ops", RefreshHistory.TABLE)) + ")", statements.get(0));
    assertEquals("CREATE INDEX IF NOT EXISTS mview_refresh_history_view_idx ON \"Ops\".mview_refresh_history"
        + " (view_schema, view_name, id)", statements.get(2));
  }
}
