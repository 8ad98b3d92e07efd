package dev.mview.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationsTest {
  @Test
  void readsShortFormsAndIso() {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
    assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
    assertEquals(Duration.ofHours(2), Durations.parse("2H"));
    assertEquals(Duration.ofDays(1), Durations.parse("1d"));
    assertEquals(Duration.ofSeconds(90), Durations.parse("PT1M30S"));
  }

  @Test
  void refusesOtherTextNamingTheForms() {
    CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
        () -> Durations.parse("1.5h"));
    assertEquals("'1.5h' is not a duration: write a whole number with ms, s, m, h or d (30s, 5m, 2h), or ISO-8601"
        + " (PT1M30S)", e.getMessage());
  }

  @Test
  void printsWhatAPersonReads() {
    assertEquals("850 ms", Durations.format(Duration.ofMillis(850)));
    assertEquals("1.2 s", Durations.format(Duration.ofMillis(1230)));
    assertEquals("5 m 3 s", Durations.format(Duration.ofSeconds(303)));
    assertEquals("2 h 5 m", Durations.format(Duration.ofMinutes(125)));
    assertEquals("3 d 4 h", Durations.format(Duration.ofHours(76)));
  }
}
