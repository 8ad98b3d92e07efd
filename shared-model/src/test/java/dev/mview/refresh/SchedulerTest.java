package dev.mview.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.model.QualifiedName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The scheduler with refreshes of its own making: order, skipping and concurrency, no database. */
class SchedulerTest {
  private static QualifiedName name(String name) {
    return QualifiedName.parse(name);
  }

  private static PlannedRefresh entry(String view, String... after) {
    Set<QualifiedName> upstream = new java.util.TreeSet<>();
    for (String name : after) {
      upstream.add(name(name));
    }
    return new PlannedRefresh(name(view), RefreshStrategy.PLAIN, "test", upstream, "REFRESH " + view, null);
  }

  private static PlannedRefresh entry(String view, int seconds, String... after) {
    return entry(view, after).estimated(RefreshEstimate.given(Duration.ofSeconds(seconds), 0));
  }

  /**
   * Two short views that come first in plan order, and a chain s.x -> s.y -> s.z after them whose
   * path is the longest: estimates a 3 s, b 2 s, x 1 s, y 1 s, z 2 s.
   */
  private static RefreshPlan chainLast() {
    return new RefreshPlan(List.of(entry("s.a", 3), entry("s.b", 2), entry("s.x", 1), entry("s.y", 1, "s.x"),
        entry("s.z", 2, "s.y")));
  }

  /**
   * s.a -> s.b -> s.d, s.a -> s.c, and s.e alone: b and c read a, d reads b. In plan order (upstream
   * first, ties by name).
   */
  private static RefreshPlan plan() {
    return new RefreshPlan(List.of(entry("s.a"), entry("s.b", "s.a"), entry("s.c", "s.a"), entry("s.d", "s.b"),
        entry("s.e")));
  }

  /** Refreshes by recording the view; fails the views named. */
  private static final class Recording implements ViewRefresh {
    final List<QualifiedName> ran = Collections.synchronizedList(new ArrayList<>());
    final Set<QualifiedName> failing;

    Recording(String... failing) {
      this.failing = Set.of(java.util.Arrays.stream(failing).map(SchedulerTest::name).toArray(QualifiedName[]::new));
    }

    @Override
    public RefreshResult refresh(PlannedRefresh entry, Integer workersPerGather) {
      ran.add(entry.view());
      Instant now = Instant.now();
      return failing.contains(entry.view())
          ? new RefreshResult(entry.view(), entry.strategy(), entry.reason(), RefreshOutcome.FAILED, "boom", now, now, null)
          : new RefreshResult(entry.view(), entry.strategy(), entry.reason(), RefreshOutcome.REFRESHED, null, now, now, 1L);
    }
  }

  private static List<String> outcomes(RefreshReport report) {
    return report.results().stream().map(result -> result.view() + " " + result.outcome()
        + (result.message() == null ? "" : ": " + result.message())).toList();
  }

  @Test
  void sequentialRunsThePlanInOrder() {
    Recording runner = new Recording();
    RefreshReport report = Scheduler.sequential(runner, plan());

    assertEquals(plan().views(), runner.ran);
    assertEquals(1, report.connections());
    assertTrue(report.workersPerGather().isEmpty());
  }

  @Test
  void aFailedViewSkipsOnlyWhatReadsItDirectlyOrNot() {
    Recording runner = new Recording("s.b");
    RefreshReport report = Scheduler.sequential(runner, plan());

    assertEquals(List.of(name("s.a"), name("s.b"), name("s.c"), name("s.e")), runner.ran);
    assertEquals(List.of("s.a REFRESHED", "s.b FAILED: boom", "s.c REFRESHED",
        "s.d SKIPPED_UPSTREAM_FAILED: not refreshed: s.b failed", "s.e REFRESHED"), outcomes(report));
    assertEquals("s.b FAILED: boom\ns.d SKIPPED_UPSTREAM_FAILED: not refreshed: s.b failed", report.failureSummary());
  }

  @Test
  void parallelSkipsTheSameAndRunsEveryOtherViewOnce() {
    Recording first = new Recording("s.b");
    Recording second = new Recording("s.b");
    RefreshReport report = Scheduler.parallel(List.of(first, second), plan(), 4);

    List<QualifiedName> ran = new ArrayList<>(first.ran);
    ran.addAll(second.ran);
    Collections.sort(ran);
    assertEquals(List.of(name("s.a"), name("s.b"), name("s.c"), name("s.e")), ran);
    assertEquals(List.of("s.a REFRESHED", "s.b FAILED: boom", "s.c REFRESHED",
        "s.d SKIPPED_UPSTREAM_FAILED: not refreshed: s.b failed", "s.e REFRESHED"), outcomes(report));
    assertEquals(2, report.connections());
    assertEquals(1, report.workersPerGather().getAsInt());
  }

  @Test
  void parallelStartsAViewOnlyAfterEverythingItReadsAndAsSoonAsThat() throws Exception {
    // s.a is held until s.e has started: s.e (independent) must not wait for s.a's level.
    CountDownLatch eStarted = new CountDownLatch(1);
    Map<QualifiedName, Instant> started = new ConcurrentHashMap<>();
    Map<QualifiedName, Instant> finished = new ConcurrentHashMap<>();
    Map<QualifiedName, Integer> workers = new ConcurrentHashMap<>();
    ViewRefresh runner = (entry, workersPerGather) -> {
      started.put(entry.view(), Instant.now());
      workers.put(entry.view(), workersPerGather);
      if (entry.view().equals(name("s.e"))) {
        eStarted.countDown();
      }
      if (entry.view().equals(name("s.a"))) {
        await(eStarted);
      }
      Instant now = Instant.now();
      finished.put(entry.view(), now);
      return new RefreshResult(entry.view(), entry.strategy(), entry.reason(), RefreshOutcome.REFRESHED, null, now, now,
          1L);
    };

    RefreshReport report = Scheduler.parallel(List.of(runner, runner), plan(), 4);

    assertEquals(5, report.withOutcome(RefreshOutcome.REFRESHED).size());
    for (PlannedRefresh entry : plan().entries()) {
      for (QualifiedName upstream : entry.after()) {
        assertTrue(!started.get(entry.view()).isBefore(finished.get(upstream)),
            entry.view() + " started before " + upstream + " finished");
      }
    }
    // s.a and s.e ran side by side (two running: 4 cores / 2 - 1 workers each).
    assertEquals(1, workers.get(name("s.e")));
  }

  @Test
  void theRemainingPathIsAViewsEstimatePlusTheLongestPathOfWhatWaitsForIt() {
    RefreshPlan plan = chainLast();
    Scheduler scheduler = new Scheduler(plan);
    assertEquals(List.of(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(3),
        Duration.ofSeconds(2)), plan.views().stream().map(scheduler::remainingPath).toList());
  }

  @Test
  void amongReadyViewsTheLongestRemainingPathStartsFirstAndTiesGoInPlanOrder() {
    Recording runner = new Recording();
    Scheduler.parallel(List.of(runner), chainLast(), 2);

    // x (4 s to the end) before a (3 s); then a and y tie at 3 s and b and z at 2 s: plan order
    assertEquals(List.of(name("s.x"), name("s.a"), name("s.y"), name("s.b"), name("s.z")), runner.ran);
  }

  @Test
  void withEqualEstimatesViewsStartInPlanOrder() {
    Recording runner = new Recording();
    Scheduler.parallel(List.of(runner), plan(), 2);

    assertEquals(plan().views(), runner.ran);
  }

  @Test
  void twoConnectionsStartTheTwoLongestPathsFirst() {
    // each refresh waits until two have started, so the first two are the two picked at once
    CountDownLatch twoStarted = new CountDownLatch(2);
    List<QualifiedName> ran = Collections.synchronizedList(new ArrayList<>());
    ViewRefresh runner = (entry, workersPerGather) -> {
      ran.add(entry.view());
      twoStarted.countDown();
      await(twoStarted);
      Instant now = Instant.now();
      return new RefreshResult(entry.view(), entry.strategy(), entry.reason(), RefreshOutcome.REFRESHED, null, now, now,
          1L);
    };

    Scheduler.parallel(List.of(runner, runner), chainLast(), 2);

    assertEquals(Set.of(name("s.x"), name("s.a")), Set.copyOf(ran.subList(0, 2)));
    assertEquals(5, ran.size());
  }

  @Test
  void workersPerGatherKeepsProcessesNearTheCores() {
    assertEquals(3, Scheduler.workersPerGather(4, 1));
    assertEquals(1, Scheduler.workersPerGather(4, 2));
    assertEquals(0, Scheduler.workersPerGather(4, 4));
    assertEquals(0, Scheduler.workersPerGather(2, 3));
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(30, TimeUnit.SECONDS), "the view waited for never started");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
