package dev.mview.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

/**
 * CPU time from the operating system ({@code /proc}, Linux): of the database server — its
 * postmaster and every process it started (backends, parallel workers, background processes),
 * those that exited included — and of the whole machine. A process that exited was reaped by the
 * postmaster, which adds its time to its own {@code cutime}/{@code cstime}; one still running is
 * read from its own {@code stat}. The difference of two samples is what ran in between.
 */
final class CpuMeter {
  /** CPU seconds so far: the server's, and the whole machine's busy time. */
  record Sample(double server, double machine) {
    Sample minus(Sample earlier) {
      return new Sample(server - earlier.server, machine - earlier.machine);
    }
  }

  private final long postmaster;
  private final double tick;

  private CpuMeter(long postmaster, double tick) {
    this.postmaster = postmaster;
    this.tick = tick;
  }

  /** A meter for the server {@code connection} is connected to, which must run on this machine. */
  static CpuMeter of(Connection connection) throws SQLException, IOException {
    long backend;
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      backend = rs.getLong(1);
    }
    return new CpuMeter(Long.parseLong(stat(backend)[1]), 1.0 / clockTicks());
  }

  Sample sample() throws IOException {
    return new Sample(serverSeconds(), machineSeconds());
  }

  /** The postmaster with its reaped children, plus every live child. */
  private double serverSeconds() throws IOException {
    String[] own = stat(postmaster);
    long ticks = ticks(own);
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      for (Path process : (Iterable<Path>) processes::iterator) {
        String name = process.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String[] child = stat(Long.parseLong(name));
          if (Long.parseLong(child[1]) == postmaster) {
            ticks += ticks(child);
          }
        } catch (IOException gone) {
          // exited since the listing: the postmaster has (or will have) its time
        }
      }
    }
    return ticks * tick;
  }

  /** Busy time of all cores: everything in {@code /proc/stat}'s first line but idle and iowait. */
  private double machineSeconds() throws IOException {
    String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long busy = 0;
    for (int i = 1; i < Math.min(fields.length, 9); i++) {
      if (i != 4 && i != 5) { // idle, iowait
        busy += Long.parseLong(fields[i]);
      }
    }
    return busy * tick;
  }

  /** Its own and its reaped children's user and system time. */
  private static long ticks(String[] stat) {
    // after the command: state, ppid, ..., utime (index 11), stime, cutime, cstime
    return Long.parseLong(stat[11]) + Long.parseLong(stat[12]) + Long.parseLong(stat[13]) + Long.parseLong(stat[14]);
  }

  /** The fields of {@code /proc/<pid>/stat} after the command name (which may hold spaces). */
  private static String[] stat(long pid) throws IOException {
    String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    return line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
  }

  private static long clockTicks() {
    try {
      Process process = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes()).trim();
      return process.waitFor() == 0 ? Long.parseLong(out) : 100;
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
