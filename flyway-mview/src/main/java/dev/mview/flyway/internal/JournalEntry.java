package dev.mview.flyway.internal;

import java.util.List;

/**
 * One journal row: the view migration Flyway recorded at {@code installedRank} and the SQL that undoes it.
 *
 * @param installedRank the rank of the migration's row in Flyway's schema history
 * @param version its version, or null for a repeatable migration
 * @param description its description as Flyway stores it
 * @param label the description Flyway derives from the class name, for undo-script file names
 * @param checksum its checksum as Flyway stores it
 * @param inverse the statements that undo it, in order
 */
public record JournalEntry(int installedRank, String version, String description, String label, Integer checksum,
    List<String> inverse) {
  public JournalEntry {
    inverse = List.copyOf(inverse);
  }
}
