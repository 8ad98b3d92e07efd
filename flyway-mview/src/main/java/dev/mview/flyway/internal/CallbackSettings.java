package dev.mview.flyway.internal;

import dev.mview.MviewException;
import dev.mview.model.QualifiedName;
import dev.mview.refresh.RefreshMode;
import dev.mview.refresh.RefreshOptions;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the refresh callback does when Flyway made it by class name: read from Flyway's own
 * placeholders, so the Maven and Gradle plugins, {@code flyway.conf}, {@code flyway.toml}, the
 * command line and environment variables ({@code FLYWAY_PLACEHOLDERS_MVIEW_SCHEMAS}) all configure
 * it. Names are matched without case, since Flyway lower-cases placeholders taken from the
 * environment.
 *
 * @param options what to refresh and how
 * @param always refresh after every migrate, not only after one that applied something
 */
public record CallbackSettings(RefreshOptions options, boolean always) {
  /** Comma-separated schemas whose materialized views are refreshed (names as stored). */
  public static final String SCHEMAS = "mview_schemas";
  /** Comma-separated materialized views to refresh ({@code schema.name}, read as SQL). */
  public static final String VIEWS = "mview_views";
  /** {@code auto} (default), {@code concurrently} or {@code plain}. */
  public static final String MODE = "mview_mode";
  /** {@code true} to refresh after every migrate; {@code false} (default) after one that applied something. */
  public static final String ALWAYS = "mview_always";

  /**
   * The settings {@code placeholders} hold; with neither schemas nor views, every materialized view
   * of the database.
   *
   * @throws MviewException of kind {@link MviewException.Kind#INVALID_DECLARATION} naming the
   *     placeholder, its value and what it takes
   */
  public static CallbackSettings from(Map<String, String> placeholders) {
    RefreshOptions.Builder options = RefreshOptions.builder();
    List<String> schemas = list(get(placeholders, SCHEMAS));
    if (!schemas.isEmpty()) {
      options.schemas(schemas.toArray(String[]::new));
    }
    for (String view : list(get(placeholders, VIEWS))) {
      options.views(QualifiedName.parse(view));
    }
    String mode = get(placeholders, MODE);
    if (mode != null) {
      options.mode(switch (mode.strip().toLowerCase(Locale.ROOT)) {
        case "auto" -> RefreshMode.AUTO;
        case "concurrently" -> RefreshMode.CONCURRENTLY;
        case "plain" -> RefreshMode.PLAIN;
        default -> throw invalid(MODE, mode, "auto, concurrently or plain");
      });
    }
    String always = get(placeholders, ALWAYS);
    if (always != null && !List.of("true", "false").contains(always.strip().toLowerCase(Locale.ROOT))) {
      throw invalid(ALWAYS, always, "true or false");
    }
    return new CallbackSettings(options.build(), always != null && Boolean.parseBoolean(always.strip()));
  }

  private static String get(Map<String, String> placeholders, String name) {
    return placeholders.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue).findFirst().orElse(null);
  }

  private static List<String> list(String value) {
    return value == null ? List.of()
        : Arrays.stream(value.split(",")).map(String::strip).filter(part -> !part.isEmpty()).toList();
  }

  private static MviewException invalid(String placeholder, String value, String expected) {
    return new MviewException(MviewException.Kind.INVALID_DECLARATION, "Flyway placeholder " + placeholder
        + " of the mview refresh callback is '" + value + "': expected " + expected);
  }
}
