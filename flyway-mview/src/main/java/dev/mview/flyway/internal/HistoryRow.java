package dev.mview.flyway.internal;

/**
 * One row of Flyway's schema history, read directly (Flyway's API does not delete rows).
 *
 * @param installedRank its rank
 * @param version its version, or null for a repeatable migration
 * @param description its description
 * @param type Flyway's migration type ({@code SQL}, {@code JDBC}, {@code BASELINE}, ...)
 * @param script the script or class name
 * @param checksum its checksum, or null
 * @param success false for a failed migration
 */
public record HistoryRow(int installedRank, String version, String description, String type, String script,
    Integer checksum, boolean success) {
  /** {@code 3 (Sales views)} or {@code repeatable (Views)}, for messages. */
  public String label() {
    return (version == null ? "repeatable" : version) + " (" + description + ")";
  }
}
