package dev.mview.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * A reader in production: it runs one query with a random key, pauses, and runs it again, from half
 * a second before a change until half a second after it. Its longest read says how long the change
 * made readers wait. A reader error (none is expected: names resolve again after a swap) fails the
 * benchmark.
 */
final class Reader {
  private Reader() {}

  /**
   * What the reader saw while a change ran.
   *
   * @param wall the change's wall time, seconds, as it measured itself
   * @param longest the longest read, seconds
   * @param median the median read, seconds
   * @param reads how many reads there were
   */
  record Reading(double wall, double longest, double median, int reads) {
    double longestOverWall() {
      return longest / wall;
    }
  }

  /**
   * Runs {@code change} (which returns its own wall time in seconds) while a reader runs
   * {@code query} with a random key in 1..{@code keys}, pausing {@code pauseMillis} between reads.
   */
  static Reading readWhile(DataSource dataSource, String query, int keys, long pauseMillis, Callable<Double> change)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    List<Long> reads = new ArrayList<>();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Future<?> reader = pool.submit(() -> {
      try (Connection connection = dataSource.getConnection();
          PreparedStatement read = connection.prepareStatement(query)) {
        while (!stop.get()) {
          read.setInt(1, ThreadLocalRandom.current().nextInt(1, keys + 1));
          long start = System.nanoTime();
          try (ResultSet rs = read.executeQuery()) {
            rs.next();
          }
          reads.add(System.nanoTime() - start);
          Thread.sleep(pauseMillis);
        }
      }
      return null;
    });
    try {
      Thread.sleep(500);
      double wall = change.call();
      Thread.sleep(500);
      stop.set(true);
      reader.get();
      long[] sorted = reads.stream().mapToLong(Long::longValue).sorted().toArray();
      return new Reading(wall, sorted[sorted.length - 1] / 1e9, sorted[sorted.length / 2] / 1e9, sorted.length);
    } finally {
      stop.set(true);
      pool.shutdown();
    }
  }
}
