package dev.mview.cli;

import dev.mview.catalog.Catalog;
import dev.mview.catalog.LiveView;
import dev.mview.model.QualifiedName;
import dev.mview.refresh.HistoryEntry;
import dev.mview.refresh.RefreshHistory;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mview status}: each materialized view with whether it is populated and what the refresh
 * history knows of it; with {@code --max-age}, exits {@value Main#NOT_DONE} when one is stale.
 */
@Command(name = "status", sortOptions = false,
    description = "List materialized views: populated, last successful refresh, its age and duration, last outcome.")
final class StatusCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Mixin
  private Targets targets;

  @Option(names = "--max-age", paramLabel = "DURATION", converter = Durations.class,
      description = "exit 1 when a view's last successful refresh is older than this (30m, 6h, 1d), or it has none,"
          + " or it is not populated")
  private Duration maxAge;

  @Mixin
  private ConnectionOptions connection;

  @Option(names = "--help", usageHelp = true, description = "show this help")
  private boolean help;

  @Override
  public Integer call() throws Exception {
    List<String> stale = new ArrayList<>();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"view", "populated", "last success", "age", "took", "last outcome"});
    try (Connection db = connection.connect()) {
      Instant now = now(db);
      Map<QualifiedName, HistoryEntry> success = RefreshHistory.lastSuccessful(db);
      Map<QualifiedName, HistoryEntry> attempts = RefreshHistory.lastAttempts(db);
      for (LiveView view : views(db)) {
        HistoryEntry good = success.get(view.name());
        HistoryEntry last = attempts.get(view.name());
        Duration age = good == null || good.finished() == null ? null : Duration.between(good.finished(), now);
        rows.add(new String[] {view.name().toString(), view.populated() ? "yes" : "no",
            good == null ? "never recorded" : good.finished().truncatedTo(ChronoUnit.SECONDS).toString(),
            age == null ? "-" : Durations.format(age.isNegative() ? Duration.ZERO : age),
            good == null ? "-" : Durations.format(good.duration()),
            last == null ? "-" : last.outcome() + (last.message() == null ? "" : ": " + firstLine(last.message()))});
        if (maxAge != null && (!view.populated() || age == null || age.compareTo(maxAge) > 0)) {
          stale.add(view.name().toString());
        }
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    print(rows, out);
    if (!stale.isEmpty()) {
      out.println(stale.size() + " stale (older than " + Durations.format(maxAge) + ", never refreshed, or not"
          + " populated): " + String.join(", ", stale));
      return Main.NOT_DONE;
    }
    return Main.OK;
  }

  /** The materialized views asked for, by name; swap copies left out. */
  private List<LiveView> views(Connection db) {
    Catalog catalog = Catalog.readWithoutDefinitions(db);
    List<QualifiedName> named = targets.views();
    List<String> schemas = targets.schemas();
    return catalog.views().stream()
        .filter(LiveView::isMaterialized)
        .filter(view -> !view.name().name().startsWith(Catalog.SWAP_COPY_PREFIX))
        .filter(view -> named.isEmpty() && schemas.isEmpty() || named.contains(view.name())
            || schemas.contains(view.name().schema()))
        .sorted(Comparator.comparing(view -> view.name().toString()))
        .toList();
  }

  /** The database's clock, so that the age does not depend on this machine's. */
  private static Instant now(Connection db) throws Exception {
    try (Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery("SELECT clock_timestamp()")) {
      rs.next();
      return rs.getTimestamp(1).toInstant();
    }
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static void print(List<String[]> rows, PrintWriter out) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
