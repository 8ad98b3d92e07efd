package dev.mview.refresh;

import dev.mview.MviewException;
import dev.mview.model.QualifiedName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a plan: each view once its planned upstream views are done, on as many connections as it is
 * given. A view whose upstream failed is skipped, and so are its own dependents; independent
 * branches go on.
 */
final class Scheduler {
  private final RefreshPlan plan;
  private final Map<QualifiedName, Integer> position = new HashMap<>();
  private final Map<QualifiedName, List<PlannedRefresh>> readers = new HashMap<>();
  private final Map<QualifiedName, RefreshResult> results = new HashMap<>();
  private final Map<QualifiedName, PlannedRefresh> entries = new HashMap<>();
  private final Map<QualifiedName, RefreshResult> memberResults = new HashMap<>();
  private final Map<QualifiedName, Duration> remaining = new HashMap<>();

  Scheduler(RefreshPlan plan) {
    this.plan = plan;
    for (PlannedRefresh entry : plan.entries()) {
      entries.put(entry.view(), entry);
      position.put(entry.view(), position.size());
      for (QualifiedName upstream : entry.after()) {
        readers.computeIfAbsent(upstream, k -> new ArrayList<>()).add(entry);
      }
    }
    // readers come after what they read in plan order, so walking it backwards finds theirs first
    List<PlannedRefresh> backwards = new ArrayList<>(plan.entries());
    Collections.reverse(backwards);
    for (PlannedRefresh entry : backwards) {
      Duration longestReader = readers.getOrDefault(entry.view(), List.of()).stream()
          .map(reader -> remaining.getOrDefault(reader.view(), Duration.ZERO))
          .max(Comparator.naturalOrder()).orElse(Duration.ZERO);
      remaining.put(entry.view(), entry.estimate().expected().plus(longestReader));
    }
  }

  /**
   * The expected time from {@code view}'s start to the end of the longest path of views that wait
   * for it, itself included: what the parallel runner starts the longest of first.
   */
  Duration remainingPath(QualifiedName view) {
    return remaining.get(view);
  }

  /** Plan order with one runner (whose connection may be inside a caller's transaction). */
  static RefreshReport sequential(ViewRefresh runner, RefreshPlan plan) {
    Scheduler scheduler = new Scheduler(plan);
    Instant start = Instant.now();
    for (PlannedRefresh entry : plan.entries()) {
      if (!scheduler.results.containsKey(entry.view())) {
        scheduler.finish(runner.refresh(entry, null));
      }
    }
    return scheduler.report(start, 1, null);
  }

  /**
   * With {@code runners} (one connection each, one thread each): a view starts as soon as every
   * planned view it reads has finished, not level by level. Of the views ready at once, the one
   * with the longest {@linkplain #remainingPath remaining path} starts first, so a long chain is not
   * left to run alone at the end; ties go in plan order.
   */
  static RefreshReport parallel(List<? extends ViewRefresh> runners, RefreshPlan plan, int serverCores) {
    Scheduler scheduler = new Scheduler(plan);
    BlockingQueue<ViewRefresh> free = new LinkedBlockingQueue<>(runners);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(runners.size(), task -> {
      Thread thread = new Thread(task, "mview-refresh-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    Instant start = Instant.now();
    try {
      scheduler.runOn(pool, free, serverCores, runners.size());
    } finally {
      pool.shutdownNow();
    }
    return scheduler.report(start, runners.size(), workersPerGather(serverCores, runners.size()));
  }

  /**
   * Parallel query workers per refresh with {@code running} refreshes side by side, so that
   * running times (leader + workers) stays near the cores: one view alone on 4 cores gets 3
   * workers, four at once get none. PostgreSQL's own setting still caps it.
   */
  static int workersPerGather(int serverCores, int running) {
    return Math.max(0, serverCores / running - 1);
  }

  private void runOn(ExecutorService pool, BlockingQueue<ViewRefresh> free, int serverCores, int slots) {
    ExecutorCompletionService<RefreshResult> completion = new ExecutorCompletionService<>(pool);
    Map<QualifiedName, Integer> waiting = new HashMap<>();
    PriorityQueue<PlannedRefresh> ready = new PriorityQueue<>(
        Comparator.comparing((PlannedRefresh e) -> remaining.get(e.view())).reversed()
            .thenComparing(e -> position.get(e.view())));
    for (PlannedRefresh entry : plan.entries()) {
      waiting.put(entry.view(), entry.after().size());
      if (entry.after().isEmpty()) {
        ready.add(entry);
      }
    }
    int running = 0;
    while (results.size() < plan.size()) {
      while (running < slots && !ready.isEmpty()) {
        PlannedRefresh entry = ready.poll();
        if (results.containsKey(entry.view())) {
          continue; // skipped meanwhile because an upstream view failed
        }
        running++;
        // decided at start from the refreshes running now, not from the connection count: a
        // narrow stretch of the graph (one long view on the critical path) keeps its workers
        int workers = workersPerGather(serverCores, running);
        completion.submit(() -> {
          ViewRefresh runner = free.take();
          try {
            return runner.refresh(entry, workers);
          } finally {
            free.add(runner);
          }
        });
      }
      if (running == 0) {
        throw new MviewException(MviewException.Kind.INTERNAL, "refresh scheduler stalled with views left: the plan"
            + " order is broken");
      }
      RefreshResult result = take(completion);
      running--;
      finish(result);
      for (PlannedRefresh reader : readers.getOrDefault(result.view(), List.of())) {
        if (waiting.merge(reader.view(), -1, Integer::sum) == 0 && !results.containsKey(reader.view())) {
          ready.add(reader);
        }
      }
    }
  }

  private static RefreshResult take(ExecutorCompletionService<RefreshResult> completion) {
    try {
      return completion.take().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MviewException(MviewException.Kind.REFRESH_FAILED, "refresh interrupted; views already refreshed"
          + " stay refreshed", e);
    } catch (ExecutionException e) {
      throw new MviewException(MviewException.Kind.INTERNAL, "refresh runner failed: " + e.getCause(), e.getCause());
    }
  }

  /**
   * Records a result, and the same outcome for the views its swap rebuilt with it; when it stops
   * dependents, marks them (transitively) skipped.
   */
  private void finish(RefreshResult result) {
    results.put(result.view(), result);
    for (QualifiedName member : entries.get(result.view()).members()) {
      memberResults.put(member, new RefreshResult(member, result.strategy(), "rebuilt with " + result.view() + ": "
          + result.reason(), result.outcome(), result.message(), result.started(), result.finished(), null));
    }
    if (result.letsDependentsRun()) {
      return;
    }
    String cause = result.outcome() == RefreshOutcome.FAILED ? "not refreshed: " + result.view() + " failed"
        : result.message(); // skipped in turn: name the view that failed, not the chain
    for (PlannedRefresh reader : readers.getOrDefault(result.view(), List.of())) {
      if (!results.containsKey(reader.view())) {
        finish(new RefreshResult(reader.view(), reader.strategy(), reader.reason(),
            RefreshOutcome.SKIPPED_UPSTREAM_FAILED, cause, null, null, null));
      }
    }
  }

  private RefreshReport report(Instant start, int connections, Integer workersPerGather) {
    List<RefreshResult> ordered = new ArrayList<>();
    for (PlannedRefresh entry : plan.entries()) {
      ordered.add(results.get(entry.view()));
      entry.members().forEach(member -> ordered.add(memberResults.get(member)));
    }
    return new RefreshReport(ordered, Duration.between(start, Instant.now()), connections, workersPerGather);
  }
}
