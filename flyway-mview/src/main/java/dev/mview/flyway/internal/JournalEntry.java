package dev.mview.flyway.internal;

import java.util.List;

/**
 * One journal row: a view migration as Flyway records it, and the SQL that undoes it.
 *
 * @param id the row's key, in the order the migrations ran
 * @param version its version, or null for a repeatable migration
 * @param description its description as Flyway stores it
 * @param label the description Flyway derives from the class name, for undo-script file names
 * @param checksum its checksum as Flyway stores it
 * @param inverse the statements that undo it, in order
 */
public record JournalEntry(long id, String version, String description, String label, Integer checksum,
    List<String> inverse) {
  public JournalEntry {
    inverse = List.copyOf(inverse);
  }
}
