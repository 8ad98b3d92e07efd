package dev.mview.examples.demo;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Prints the story: chapter headings, notes, and query results as small tables. */
final class Console {
  private final PrintStream out;
  private final DataSource dataSource;
  private int chapter;

  Console(PrintStream out, DataSource dataSource) {
    this.out = out;
    this.dataSource = dataSource;
  }

  void chapter(String title) {
    chapter++;
    out.println();
    out.println("== " + chapter + ". " + title);
  }

  void say(String text) {
    for (String line : text.split("\n", -1)) {
      out.println("   " + line);
    }
  }

  /** Prints the rows of {@code sql} as an aligned table. */
  void table(String sql) throws SQLException {
    List<String[]> rows = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      String[] header = new String[meta.getColumnCount()];
      for (int i = 0; i < header.length; i++) {
        header[i] = meta.getColumnLabel(i + 1);
      }
      rows.add(header);
      while (rs.next()) {
        String[] row = new String[header.length];
        for (int i = 0; i < row.length; i++) {
          row[i] = String.valueOf(rs.getObject(i + 1));
        }
        rows.add(row);
      }
    }
    table(rows);
  }

  void table(List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (int r = 0; r < rows.size(); r++) {
      StringBuilder line = new StringBuilder("   ");
      for (int i = 0; i < widths.length; i++) {
        line.append(i == 0 ? "" : " | ").append(String.format("%-" + widths[i] + "s", rows.get(r)[i]));
      }
      out.println(line.toString().stripTrailing());
      if (r == 0) {
        StringBuilder rule = new StringBuilder("   ");
        for (int i = 0; i < widths.length; i++) {
          rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
        }
        out.println(rule);
      }
    }
  }

  /** The single value of {@code sql}, as text. */
  String value(String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Stops the demo when the database does not hold what the story just claimed. */
  void expect(String claim, String sql, String expected) throws SQLException {
    String actual = value(sql);
    if (!expected.equals(actual)) {
      throw new IllegalStateException("the demo claims " + claim + ", but " + sql + " gives " + actual
          + " instead of " + expected);
    }
  }

  void execute(String... statements) throws SQLException {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
