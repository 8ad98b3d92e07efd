package dev.mview.model;

/** Whether a view stores its rows (materialized) or runs its query on every read (plain). */
public enum ViewKind {
  VIEW("view"),
  MATERIALIZED_VIEW("materialized view");

  private final String label;

  ViewKind(String label) {
    this.label = label;
  }

  /** Lower-case words for messages: {@code "materialized view"}. */
  public String label() {
    return label;
  }
}
