package dev.mview.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of a benchmark run, in the order measured: each printed as a {@code name=value}
 * line when recorded, and kept for the table at the end. A benchmark class records its own under
 * a prefix of its own and adds its rows to the table.
 */
final class Figures {
  private final Map<String, String> values = new LinkedHashMap<>();
  private final List<String[]> rows = new ArrayList<>();

  void put(String name, Object value) {
    values.put(name, String.valueOf(value));
    System.out.println(name + "=" + value);
  }

  /** The value of {@code name}, or an empty string when it was not measured. */
  String get(String name) {
    return values.getOrDefault(name, "");
  }

  /** A row of the table: label, value, then ratio columns. */
  void row(String... cells) {
    rows.add(cells);
  }

  void printTable(String legend) {
    System.out.println();
    String format = "%-62s %10s %8s %8s %6s%n";
    System.out.printf(Locale.ROOT, format, "figure", "value", "ratio", "/bound", "cpu");
    for (String[] row : rows) {
      Object[] cells = {"", "", "", "", ""};
      System.arraycopy(row, 0, cells, 0, row.length);
      System.out.printf(Locale.ROOT, format, cells);
    }
    System.out.println(legend);
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  static String seconds(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  static String millis(double seconds) {
    return String.format(Locale.ROOT, "%.1f", seconds * 1000);
  }

  static String ratio(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  /** A ratio that is often far below 1 (a reader's longest wait over a change), to three places. */
  static String fraction(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
  }

  /** {@code min-max} of {@code values}, as ratios. */
  static String spread(List<Double> values) {
    return ratio(values.stream().mapToDouble(Double::doubleValue).min().orElseThrow()) + "-"
        + ratio(values.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
  }
}
