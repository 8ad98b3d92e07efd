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
 * @param inverse the statements that undo it, in order, as captured when it ran
 * @param reversal how to undo it as a redefinition ({@code dev.mview.plan.Reversal#encode}), or null
 *     for an entry journaled before mview kept one
 */
public record JournalEntry(long id, String version, String description, String label, Integer checksum,
    List<String> inverse, String reversal) {
  public JournalEntry {
    inverse = List.copyOf(inverse);
  }
}
