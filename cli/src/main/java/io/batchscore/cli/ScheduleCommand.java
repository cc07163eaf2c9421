package io.batchscore.cli;

import io.batchscore.cli.schedule.CronExpression;
import io.batchscore.cli.schedule.RunHistory;
import io.batchscore.cli.schedule.Scheduler;
import io.batchscore.core.monitor.DriftStatus;
import io.batchscore.spark.job.ExitCodes;
import io.batchscore.spark.job.JobErrors;
import io.batchscore.spark.job.JobOptions;
import io.batchscore.spark.job.JobResult;
import io.batchscore.spark.job.JobRunner;
import io.batchscore.spark.job.OutputConflictException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code batchscore schedule}: the Spark job (embedded) at each tick of a cron expression, for the
 * run date due. Runs never overlap; missed ticks are caught up by policy; every outcome goes to a
 * JSON-lines history; SIGTERM stops it without leaving a half-written date.
 */
@Command(
    name = "schedule",
    mixinStandardHelpOptions = true,
    description = {
      "Run the scoring job at each tick of a cron expression (embedded local Spark), one run at a time.",
      "Run date = the tick's date plus --run-date-offset days (default -1: yesterday's partition)."
    })
final class ScheduleCommand implements Callable<Integer> {
  /** How long SIGTERM waits for the run in progress to stop and clean up. */
  static final int STOP_GRACE_SECONDS = 25;

  /** Above Spark's shutdown hook (40 in Hadoop's manager), so ours runs first. */
  static final int STOP_HOOK_PRIORITY = 100;

  @Mixin JobOptions options = new JobOptions();

  @Option(
      names = "--cron",
      required = true,
      paramLabel = "EXPR",
      description = "Cron expression: 'min hour dom month dow', or with seconds first (6 fields).")
  String cron;

  @Option(
      names = "--zone",
      paramLabel = "ZONE",
      description = "Time zone of the cron expression (default: this machine's).")
  String zone;

  @Option(
      names = "--run-date-offset",
      defaultValue = "-1",
      paramLabel = "DAYS",
      description = "Days added to a tick's date to get its run date (default: ${DEFAULT-VALUE}).")
  int runDateOffset;

  @Option(
      names = "--catch-up",
      defaultValue = "all",
      paramLabel = "POLICY",
      description =
          "Missed ticks after downtime: all (each missed run date, oldest first), latest, none. Default: ${DEFAULT-VALUE}.")
  String catchUp;

  @Option(
      names = "--max-catch-up",
      defaultValue = "31",
      paramLabel = "N",
      description = "At most N missed run dates are caught up (the latest N).")
  int maxCatchUp;

  @Option(
      names = "--state-dir",
      defaultValue = "batchscore-schedule",
      paramLabel = "DIR",
      description =
          "Holds history.jsonl (every outcome) and schedule.lock (one scheduler at a time)."
              + " Default: ${DEFAULT-VALUE} in the current folder.")
  Path stateDir;

  @Option(
      names = "--max-ticks",
      hidden = true,
      defaultValue = "0",
      description = "Stop after N ticks (tests).")
  int maxTicks;

  @CommandLine.Spec CommandLine.Model.CommandSpec commandSpec;

  @Override
  public Integer call() throws Exception {
    if (options.runDate != null) {
      throw new CommandLine.ParameterException(
          commandSpec.commandLine(), "--run-date is set by the schedule; leave it out");
    }
    options.runDate = LocalDate.now();
    String problem = options.check();
    if (problem != null) {
      throw new CommandLine.ParameterException(commandSpec.commandLine(), problem);
    }
    CronExpression expr;
    Scheduler.CatchUp policy;
    try {
      expr = new CronExpression(cron);
      policy = Scheduler.CatchUp.parse(catchUp);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(commandSpec.commandLine(), e.getMessage());
    }
    ZoneId z = zone == null ? ZoneId.systemDefault() : ZoneId.of(zone);
    PrintWriter out = commandSpec.commandLine().getOut();
    java.time.Instant processStart = java.time.Instant.now();
    try {
      Scheduler.checkFree(stateDir.resolve("schedule.lock"));
    } catch (Scheduler.LockedException e) {
      throw new OutputConflictException(e.getMessage());
    }
    SparkSession.Builder builder =
        io.batchscore.spark.job.EmbeddedSpark.builder(
            options.master != null ? options.master : "local[*]",
            "batchscore schedule " + cron,
            options.sparkUi);
    options.conf.forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    Scheduler.Job job =
        new Scheduler.Job() {
          /** Set once, when the scheduler stops; no run starts after that. */
          private final java.util.concurrent.atomic.AtomicBoolean cancelled =
              new java.util.concurrent.atomic.AtomicBoolean();

          @Override
          public Scheduler.Outcome run(LocalDate runDate) {
            options.runDate = runDate;
            try {
              JobResult r = JobRunner.run(options, spark, cancelled::get);
              boolean fail = options.failOnDrift && r.status() == DriftStatus.DRIFT;
              return new Scheduler.Outcome(
                  fail ? ExitCodes.DRIFT : ExitCodes.OK,
                  r.rowsScored()
                      + " rows scored -> "
                      + r.partition()
                      + "; drift "
                      + r.status().label(),
                  r.status().label());
            } catch (Exception | Error e) {
              return new Scheduler.Outcome(JobErrors.exitCode(e), JobErrors.message(e));
            }
          }

          @Override
          public void cancel() {
            cancelled.set(true);
            spark.sparkContext().cancelAllJobs();
          }
        };
    RunHistory history = new RunHistory(stateDir.resolve("history.jsonl"));
    Scheduler scheduler =
        new Scheduler(
            expr,
            z,
            Clock.system(z),
            t -> t.toLocalDate().plusDays(runDateOffset),
            job,
            history,
            stateDir.resolve("schedule.lock"),
            policy,
            maxCatchUp);
    scheduler.startedAt(processStart);
    CountDownLatch done = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              scheduler.stop();
              try {
                // Within the usual grace period before SIGKILL (Kubernetes: 30 s). A run that
                // has not finished cleaning up by then leaves a staging folder, which the next
                // run of that date removes.
                done.await(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "batchscore-schedule-stop");
    // Through Hadoop's hook manager, at a priority above Spark's (whose hook stops the
    // SparkContext and is registered there at 40): the run is cancelled and cleaned up while
    // Spark still works. As a plain JVM hook it would race Spark's; a write task asking the
    // stopped driver whether it may commit then waits out the RPC timeout (120 s).
    org.apache.hadoop.util.ShutdownHookManager.get()
        .addShutdownHook(hook, STOP_HOOK_PRIORITY, STOP_GRACE_SECONDS + 5, TimeUnit.SECONDS);
    out.printf("batchscore schedule '%s' (%s): history %s%n", cron, z, history.file());
    out.flush();
    try {
      int failures = scheduler.runUntilStopped(maxTicks);
      out.printf(
          "schedule stopped; %d failed run(s) this session, see %s%n", failures, history.file());
      out.flush();
      return ExitCodes.OK;
    } catch (Scheduler.LockedException e) {
      throw new OutputConflictException(e.getMessage());
    } finally {
      done.countDown();
      try {
        org.apache.hadoop.util.ShutdownHookManager.get().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running
      }
      spark.stop();
    }
  }
}
