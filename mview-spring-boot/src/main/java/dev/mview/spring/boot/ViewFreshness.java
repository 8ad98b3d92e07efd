package dev.mview.spring.boot;

import dev.mview.MviewException;
import dev.mview.catalog.Catalog;
import dev.mview.catalog.LiveView;
import dev.mview.model.QualifiedName;
import dev.mview.refresh.HistoryEntry;
import dev.mview.refresh.RefreshHistory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * One materialized view as the endpoint and the health indicator show it: populated or not, and
 * what the refresh history knows of it, its age by the database's clock.
 *
 * @param view the view
 * @param populated whether it holds data
 * @param lastSuccess its last successful refresh, or null when none is recorded
 * @param lastAttempt its last recorded refresh, or null
 * @param age time since the last successful refresh finished, or null when none is recorded
 */
record ViewFreshness(QualifiedName view, boolean populated, HistoryEntry lastSuccess, HistoryEntry lastAttempt,
    Duration age) {

  /** Whether the view counts as stale against {@code maxAge}: unpopulated, never refreshed, or older. */
  boolean staleAfter(Duration maxAge) {
    return !populated || age == null || age.compareTo(maxAge) > 0;
  }

  /** What the endpoint shows of it. */
  Map<String, Object> describe() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("view", view.toString());
    details.put("populated", populated);
    details.put("lastSuccess", lastSuccess == null ? null : lastSuccess.finished());
    details.put("age", age);
    details.put("lastDuration", lastSuccess == null ? null : lastSuccess.duration());
    details.put("lastRows", lastSuccess == null ? null : lastSuccess.rows());
    details.put("lastOutcome", lastAttempt == null ? null : lastAttempt.outcome());
    details.put("lastMessage", lastAttempt == null ? null : lastAttempt.message());
    return details;
  }

  /** The materialized views {@code properties} name (all when it names none), by name. */
  static List<ViewFreshness> read(DataSource dataSource, MviewRefreshProperties properties) {
    try (Connection connection = dataSource.getConnection()) {
      Instant now;
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery("SELECT clock_timestamp()")) {
        rs.next();
        now = rs.getTimestamp(1).toInstant();
      }
      Map<QualifiedName, HistoryEntry> success = RefreshHistory.lastSuccessful(connection);
      Map<QualifiedName, HistoryEntry> attempts = RefreshHistory.lastAttempts(connection);
      List<QualifiedName> named = properties.viewNames();
      List<String> schemas = properties.getSchemas();
      return Catalog.readWithoutDefinitions(connection).views().stream()
          .filter(LiveView::isMaterialized)
          .filter(view -> !view.name().name().startsWith(Catalog.SWAP_COPY_PREFIX))
          .filter(view -> named.isEmpty() && schemas.isEmpty() || named.contains(view.name())
              || schemas.contains(view.name().schema()))
          .sorted(Comparator.comparing(view -> view.name().toString()))
          .map(view -> {
            HistoryEntry good = success.get(view.name());
            Duration age = good == null || good.finished() == null ? null : Duration.between(good.finished(), now);
            return new ViewFreshness(view.name(), view.populated(), good, attempts.get(view.name()),
                age == null || !age.isNegative() ? age : Duration.ZERO);
          })
          .toList();
    } catch (SQLException e) {
      throw new MviewException(MviewException.Kind.DATABASE, "cannot read the materialized views: " + e.getMessage(), e);
    }
  }
}
