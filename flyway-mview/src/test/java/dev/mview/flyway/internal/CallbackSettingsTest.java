package dev.mview.flyway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.MviewException;
import dev.mview.model.QualifiedName;
import dev.mview.refresh.RefreshMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The refresh callback configured by Flyway's placeholders, as Flyway's plugins and files set them. */
class CallbackSettingsTest {

  @Test
  void placeholdersSayWhatToRefreshHowAndWhen() {
    CallbackSettings settings = CallbackSettings.from(Map.of("mview_schemas", "analytics, Sales Reports",
        "mview_views", "shop.\"Daily Sales\"", "mview_mode", "Concurrently", "mview_always", "true", "other", "x"));

    assertEquals(List.of("analytics", "Sales Reports"), settings.options().schemas(), "names as stored");
    assertEquals(List.of(QualifiedName.of("shop", "Daily Sales")), List.copyOf(settings.options().views()));
    assertEquals(RefreshMode.CONCURRENTLY, settings.options().mode());
    assertTrue(settings.always());
  }

  @Test
  void namesAreMatchedWithoutCaseAsFlywayLowerCasesThoseFromTheEnvironment() {
    CallbackSettings settings = CallbackSettings.from(Map.of("MVIEW_SCHEMAS", "analytics"));

    assertEquals(List.of("analytics"), settings.options().schemas());
    assertFalse(settings.always());
    assertEquals(RefreshMode.AUTO, settings.options().mode());
  }

  @Test
  void aValueItDoesNotTakeNamesThePlaceholderAndWhatItTakes() {
    assertEquals("Flyway placeholder mview_mode of the mview refresh callback is 'fast': expected auto, concurrently or plain",
        assertThrows(MviewException.class, () -> CallbackSettings.from(Map.of("mview_mode", "fast"))).getMessage());
    assertEquals("Flyway placeholder mview_always of the mview refresh callback is 'yes': expected true or false",
        assertThrows(MviewException.class, () -> CallbackSettings.from(Map.of("mview_always", "yes"))).getMessage());
  }
}
