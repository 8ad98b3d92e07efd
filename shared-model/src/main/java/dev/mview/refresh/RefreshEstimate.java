package dev.mview.refresh;

import dev.mview.MviewException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How long a planned view's refresh is expected to take, and what that rests on: a duration given
 * in {@link RefreshOptions#expectedDurations()}, the view's last successful refresh recorded in the
 * refresh history ({@link RefreshHistory#lastDurations}), or the size the catalog records of the
 * view and of what it reads. The {@code DataSource} runner starts, among the views
 * ready to start, the one with the longest expected path to the end of the plan.
 *
 * @param source what the estimate rests on
 * @param expected the expected duration; for a catalog estimate, {@code pages} times
 *     {@code perPage}
 * @param pages the pages of the view and of what it reads ({@code pg_class.relpages}), counted
 *     whatever the source
 * @param perPage for a catalog estimate, the time a page is taken to cost: what a page cost the
 *     views whose durations are known, else {@link #DEFAULT_PER_PAGE}; zero for a known duration
 */
public record RefreshEstimate(Source source, Duration expected, long pages, Duration perPage) {
  /** What a page is taken to cost when no given duration says better: a scan and a write of 8 kB. */
  public static final Duration DEFAULT_PER_PAGE = Duration.ofNanos(50_000);

  /** What an estimate rests on. */
  public enum Source {
    /** A duration given in the options. */
    GIVEN_DURATION,
    /** The view's last successful refresh in the refresh history. */
    LAST_REFRESH,
    /** The catalog's size of the view and of what it reads. */
    CATALOG_SIZE
  }

  public RefreshEstimate {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(perPage, "perPage");
    if (expected.isNegative() || perPage.isNegative() || pages < 0) {
      throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "a refresh estimate takes no negative"
          + " expected, pages or perPage, was " + expected + ", " + pages + ", " + perPage);
    }
  }

  static RefreshEstimate given(Duration duration, long pages) {
    return new RefreshEstimate(Source.GIVEN_DURATION, duration, pages, Duration.ZERO);
  }

  static RefreshEstimate lastRefresh(Duration duration, long pages) {
    return new RefreshEstimate(Source.LAST_REFRESH, duration, pages, Duration.ZERO);
  }

  static RefreshEstimate fromCatalog(long pages, Duration perPage) {
    return new RefreshEstimate(Source.CATALOG_SIZE, perPage.multipliedBy(pages), pages, perPage);
  }

  /**
   * {@code given duration 1.250 s}, {@code last refresh 1.250 s}, or {@code catalog size 6370 pages
   * (the view and what it reads), about 0.319 s at 0.050 ms a page}.
   */
  @Override
  public String toString() {
    return switch (source) {
      case GIVEN_DURATION -> "given duration " + seconds(expected);
      case LAST_REFRESH -> "last refresh " + seconds(expected);
      case CATALOG_SIZE -> "catalog size " + pages + " pages (the view and what it reads), about " + seconds(expected)
          + " at " + String.format(Locale.ROOT, "%.3f ms", perPage.toNanos() / 1e6) + " a page";
    };
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.3f s", duration.toNanos() / 1e9);
  }
}
