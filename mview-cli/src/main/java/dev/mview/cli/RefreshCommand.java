package dev.mview.cli;

import dev.mview.refresh.OnBusy;
import dev.mview.refresh.PlannedRefresh;
import dev.mview.refresh.RefreshHistory;
import dev.mview.refresh.RefreshListener;
import dev.mview.refresh.RefreshMode;
import dev.mview.refresh.RefreshOptions;
import dev.mview.refresh.RefreshOutcome;
import dev.mview.refresh.RefreshPlan;
import dev.mview.refresh.RefreshReport;
import dev.mview.refresh.RefreshResult;
import dev.mview.refresh.Refresher;
import java.io.PrintWriter;
import java.sql.Connection;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mview refresh}: plans and refreshes, printing a line per view as it ends. */
@Command(name = "refresh", sortOptions = false,
    description = "Refresh materialized views, each after the ones it reads, without blocking readers where it can.")
final class RefreshCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Mixin
  private Targets targets;

  @Option(names = "--upstream", description = "also refresh, first, the materialized views the targets read")
  private boolean upstream;

  @Option(names = "--downstream", description = "also refresh, after them, the materialized views that read the targets")
  private boolean downstream;

  @Option(names = "--mode", paramLabel = "MODE", defaultValue = "auto",
      description = "auto (concurrently where a view allows it, else plain), concurrently (never block readers:"
          + " fail instead), plain; default ${DEFAULT-VALUE}")
  private String mode;

  @Option(names = "--swap", description = "views with no usable unique index: build beside and swap in")
  private boolean swap;

  @Option(names = {"-j", "--parallelism"}, paramLabel = "N", defaultValue = "1",
      description = "connections refreshing at once; default ${DEFAULT-VALUE}")
  private int parallelism;

  @Option(names = "--lock-timeout", paramLabel = "DURATION", converter = Durations.class,
      description = "lock_timeout per view (30s, 5m, ...)")
  private Duration lockTimeout;

  @Option(names = "--statement-timeout", paramLabel = "DURATION", converter = Durations.class,
      description = "statement_timeout per view")
  private Duration statementTimeout;

  @Option(names = "--skip-busy", description = "skip a view another session is refreshing (default: wait for it)")
  private boolean skipBusy;

  @Option(names = "--dry-run", description = "print the plan, each view with how and why, and change nothing")
  private boolean dryRun;

  @ArgGroup(exclusive = true)
  private History history = new History();

  @Mixin
  private ConnectionOptions connection;

  @Option(names = "--help", usageHelp = true, description = "show this help")
  private boolean help;

  /** Where the refreshes are recorded. */
  static final class History {
    @Option(names = "--history-schema", paramLabel = "SCHEMA",
        description = "record refreshes in SCHEMA.mview_refresh_history (default: the current schema)")
    String schema;

    @Option(names = "--no-history", description = "record nothing")
    boolean off;

    RefreshHistory settings() {
      RefreshHistory history = off ? RefreshHistory.off()
          : schema == null ? RefreshHistory.defaults() : RefreshHistory.inSchema(schema);
      return history.ranBy("cli");
    }
  }

  @Override
  public Integer call() throws Exception {
    RefreshOptions options = targets.addTo(RefreshOptions.builder())
        .includeUpstream(upstream)
        .includeDownstream(downstream)
        .mode(mode())
        .swap(swap)
        .parallelism(parallelism)
        .lockTimeout(lockTimeout)
        .statementTimeout(statementTimeout)
        .onBusy(skipBusy ? OnBusy.SKIP : OnBusy.WAIT)
        .history(history.settings())
        .build();
    PrintWriter out = spec.commandLine().getOut();
    if (dryRun) {
      try (Connection db = connection.connect()) {
        print(Refresher.plan(db, options), out);
      }
      return Main.OK;
    }
    RefreshReport report = Refresher.refresh(connection.dataSource(), options, new Progress(out));
    summarise(report, out);
    return report.failed() ? Main.NOT_DONE : Main.OK;
  }

  private RefreshMode mode() {
    try {
      return RefreshMode.valueOf(mode.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--mode is '" + mode + "': expected auto, concurrently or plain");
    }
  }

  private static void print(RefreshPlan plan, PrintWriter out) {
    out.println("dry run: " + plan.size() + " materialized view" + (plan.size() == 1 ? "" : "s")
        + " would be refreshed, nothing was changed");
    int i = 0;
    for (PlannedRefresh entry : plan.entries()) {
      i++;
      out.println("[" + i + "/" + plan.size() + "] " + entry.view() + " " + name(entry.strategy().name()) + ": "
          + entry.reason() + (entry.after().isEmpty() ? ""
              : " (after " + entry.after().stream().map(Object::toString).collect(Collectors.joining(", ")) + ")"));
    }
  }

  private static void summarise(RefreshReport report, PrintWriter out) {
    long refreshed = report.withOutcome(RefreshOutcome.REFRESHED).size();
    out.println("refreshed " + refreshed + " of " + report.results().size() + " in "
        + Durations.format(report.wallTime()) + " on " + report.connections() + " connection"
        + (report.connections() == 1 ? "" : "s"));
    for (RefreshResult result : report.results()) {
      if (result.outcome() == RefreshOutcome.SKIPPED_UPSTREAM_FAILED) {
        out.println("  skipped " + result.view() + ": " + result.message());
      }
    }
    if (report.failed()) {
      out.println(report.failureSummary());
    }
  }

  private static String name(String constant) {
    return constant.toLowerCase(Locale.ROOT);
  }

  /** {@code [12/84] schema.view concurrently 1.2 s}, as each view ends. */
  private static final class Progress implements RefreshListener {
    private final PrintWriter out;
    private int done;
    private volatile int total;

    Progress(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void planned(RefreshPlan plan) {
      total = plan.size();
      out.println(total == 0 ? "nothing to refresh" : "refreshing " + total + " materialized view"
          + (total == 1 ? "" : "s"));
      out.flush();
    }

    @Override
    public void finished(RefreshResult result) {
      String what = switch (result.outcome()) {
        case REFRESHED -> name(result.strategy().name()) + " " + Durations.format(result.duration());
        case FAILED -> "FAILED: " + result.message();
        default -> "skipped: " + result.message();
      };
      synchronized (this) { // numbered in the order printed
        out.println("[" + ++done + "/" + total + "] " + result.view() + " " + what);
        out.flush();
      }
    }
  }
}
