package dev.mview.flyway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How journal entries are tied to Flyway's history rows without knowing their ranks in advance. */
class JournalTest {

  private static HistoryRow row(int rank, String version, String description, Integer checksum, boolean success) {
    return new HistoryRow(rank, version, description, "JDBC", "x", checksum, success);
  }

  private static JournalEntry entry(long id, String version, String description, Integer checksum) {
    return new JournalEntry(id, version, description, description, checksum, List.of(), null);
  }

  @Test
  void repeatableRowsTakeTheirDescriptionsEntriesNewestToNewest() {
    List<HistoryRow> rows = List.of(row(1, "1", "Tables", 5, true), row(2, null, "Views", 10, true),
        row(3, "2", "Sales", 7, true), row(4, null, "Views", 20, true), row(5, null, "Views", 10, true));
    List<JournalEntry> entries = List.of(entry(1, null, "Views", 10), entry(2, "2", "Sales", 7),
        entry(3, null, "Views", 20), entry(4, null, "Views", 10));

    Map<Integer, JournalEntry> matched = Journal.match(rows, entries);

    assertEquals(Map.of(2, entries.get(0), 3, entries.get(1), 4, entries.get(2), 5, entries.get(3)), matched);
  }

  @Test
  void aRowWhoseChecksumDisagreesOrThatFailedHasNoEntry() {
    List<HistoryRow> rows = List.of(row(1, "2", "Sales", 7, true), row(2, "3", "More", 8, false));
    List<JournalEntry> entries = List.of(entry(1, "2", "Sales", 99), entry(2, "3", "More", 8));

    assertEquals(Map.of(), Journal.match(rows, entries));
  }
}
