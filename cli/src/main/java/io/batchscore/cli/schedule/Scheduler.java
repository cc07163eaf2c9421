package io.batchscore.cli.schedule;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job at each tick of a cron expression, one run at a time.
 *
 * <ul>
 *   <li><b>No overlap.</b> Runs happen on one thread; a tick that falls while a run is in progress
 *       is skipped and recorded as such. Across processes, an exclusive OS file lock on {@code
 *       LOCK} keeps a second scheduler out (it exits with code 6). The operating system releases
 *       the lock when the process dies, so a crash never leaves a stale lock behind.
 *   <li><b>Missed ticks</b> (the scheduler was down) are caught up at start by a policy: {@code
 *       all} runs each missed run date once, oldest first (at most {@code maxCatchUp}); {@code
 *       latest} runs only the most recent; {@code none} skips them.
 *   <li><b>Stopping</b> ({@link #stop}, called on SIGTERM) lets no new run start; the run in
 *       progress is cancelled through the job and leaves the previous output in place.
 *   <li><b>Interrupted runs are retried.</b> Before a run starts, its tick is written to {@code
 *       in-progress.json} beside the lock (atomically), and removed once the run has ended with an
 *       outcome other than {@code interrupted}. A scheduler that finds the file at start runs that
 *       date again first, whatever the history and the catch-up policy say: the run was killed
 *       (kill -9, a crash, a lost node; then an {@code interrupted} entry is written for it first)
 *       or stopped, and its date has no new output.
 * </ul>
 */
public final class Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** What to do about ticks missed while the scheduler was not running. */
  public enum CatchUp {
    ALL,
    LATEST,
    NONE;

    public static CatchUp parse(String s) {
      return CatchUp.valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
  }

  /** The outcome of one run. */
  /**
   * How a run ended.
   *
   * @param exitCode the job's exit code (7: it drifted and was asked to fail on it, after its
   *     output was committed)
   * @param drift the run's drift status ({@code ok}, {@code warn}, {@code drift}), or null when it
   *     did not get that far
   */
  /** The job's exit code for a committed run that drifted (ExitCodes.DRIFT). */
  static final int DRIFT_EXIT = 7;

  public record Outcome(int exitCode, String message, String drift) {
    public Outcome(int exitCode, String message) {
      this(exitCode, message, null);
    }
  }

  /** The job: runs one run date and reports its outcome (never throws for job failures). */
  public interface Job {
    Outcome run(LocalDate runDate) throws InterruptedException;

    /** Asks a run in progress to stop as soon as it can (the run then fails, leaving no output). */
    default void cancel() {}
  }

  private final CronExpression cron;
  private final ZoneId zone;
  private final Clock clock;
  private final Function<ZonedDateTime, LocalDate> runDateOf;
  private final Job job;
  private final RunHistory history;
  private final Path lockFile;
  private final Path inProgress;
  private final CatchUp catchUp;
  private final int maxCatchUp;
  private volatile boolean stopping;

  /** When the process started, before its own start-up; null when not told. */
  private volatile Instant startedAt;

  private volatile boolean running;
  private volatile Thread loop;

  public Scheduler(
      CronExpression cron,
      ZoneId zone,
      Clock clock,
      Function<ZonedDateTime, LocalDate> runDateOf,
      Job job,
      RunHistory history,
      Path lockFile,
      CatchUp catchUp,
      int maxCatchUp) {
    this.cron = cron;
    this.zone = zone;
    this.clock = clock;
    this.runDateOf = runDateOf;
    this.job = job;
    this.history = history;
    this.lockFile = lockFile;
    this.inProgress = lockFile.resolveSibling("in-progress.json");
    this.catchUp = catchUp;
    this.maxCatchUp = maxCatchUp;
  }

  /**
   * When the scheduler's process started, before its own start-up (a Spark session takes ~17 s):
   * ticks after it that passed before the schedule began are due, and are run (or, under {@code
   * --catch-up none}, recorded as skipped) instead of silently missed. Returns this.
   */
  public Scheduler startedAt(Instant t) {
    this.startedAt = t;
    return this;
  }

  /** Another scheduler holds the lock. */
  public static final class LockedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LockedException(String message) {
      super(message);
    }
  }

  /**
   * Refuses at once when another scheduler holds {@code lockFile}, before a caller spends its
   * start-up (a Spark session) on a schedule that cannot run; the lock itself is taken by {@link
   * #runUntilStopped}, which refuses again if one took it in between.
   *
   * @throws LockedException another scheduler holds the lock
   */
  public static void checkFree(Path lockFile) throws IOException {
    Files.createDirectories(lockFile.toAbsolutePath().getParent());
    try (FileChannel ch =
            FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = tryLock(ch)) {
      if (lock == null) {
        throw new LockedException(
            "another batchscore scheduler holds " + lockFile + "; two schedules never run at once");
      }
    }
  }

  /**
   * Runs until {@link #stop} (or {@code maxTicks} ticks, for tests; 0 for no limit). Returns the
   * number of runs that failed.
   */
  public int runUntilStopped(int maxTicks) throws IOException, InterruptedException {
    Files.createDirectories(lockFile.toAbsolutePath().getParent());
    try (FileChannel ch =
            FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = tryLock(ch)) {
      if (lock == null) {
        throw new LockedException(
            "another batchscore scheduler holds " + lockFile + "; two schedules never run at once");
      }
      loop = Thread.currentThread();
      int failures = 0;
      ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(zone);
      ZonedDateTime retry = interruptedRun();
      if (retry != null && !stopping) {
        failures += runTick(retry, "retry of an interrupted run") ? 0 : 1;
      }
      for (ZonedDateTime tick : missedTicks(now)) {
        if (stopping) {
          return failures;
        }
        if (retry != null && runDateOf.apply(tick).equals(runDateOf.apply(retry))) {
          continue; // just run again above
        }
        failures += runTick(tick, "catch-up") ? 0 : 1;
      }
      for (ZonedDateTime tick : startupTicks(now)) {
        if (stopping) {
          return failures;
        }
        if (catchUp == CatchUp.NONE) {
          record(tick, "skipped", 0, "the scheduler was starting at this tick (--catch-up none)");
        } else if (retry == null || !runDateOf.apply(tick).equals(runDateOf.apply(retry))) {
          failures += runTick(tick, "tick during start-up") ? 0 : 1;
        }
      }
      // Ticks that passed while a retry, catch-up or start-up run was in progress are skipped and
      // recorded, as those during a tick's run are below.
      ZonedDateTime resumed = ZonedDateTime.now(clock).withZoneSameInstant(zone);
      for (ZonedDateTime t = cron.next(now);
          t != null && !t.isAfter(resumed) && !stopping;
          t = cron.next(t)) {
        record(t, "skipped", 0, "a retry, catch-up or start-up run was in progress at this tick");
      }
      int ticks = 0;
      ZonedDateTime next = cron.next(resumed);
      while (!stopping && next != null && (maxTicks == 0 || ticks < maxTicks)) {
        long waitMs = next.toInstant().toEpochMilli() - clock.millis();
        if (waitMs > 0) {
          try {
            Thread.sleep(waitMs);
          } catch (InterruptedException e) {
            if (stopping) {
              break;
            }
            throw e;
          }
        }
        failures += runTick(next, "tick") ? 0 : 1;
        ticks++;
        // Ticks that passed while the run was in progress are skipped, not queued.
        ZonedDateTime after = ZonedDateTime.now(clock).withZoneSameInstant(zone);
        ZonedDateTime skipped = cron.next(next);
        while (skipped != null && !skipped.isAfter(after) && !stopping) {
          record(skipped, "skipped", 0, "a run was still in progress at this tick");
          ticks++;
          skipped = cron.next(skipped);
        }
        next = skipped;
      }
      return failures;
    } finally {
      loop = null;
      if (stopping) {
        history.append(
            new RunHistory.Entry(
                clock.instant(),
                "",
                "stopped",
                0,
                "the scheduler stopped (SIGTERM, Ctrl-C or stop())",
                clock.instant()));
      }
    }
  }

  /**
   * Ticks between the process's start ({@link #startedAt}) and {@code now} that the catch-up above
   * did not cover: all of them on a fresh state dir or under {@code --catch-up none} (else the
   * catch-up from the history's last tick includes them); the latest per run date, the latest only
   * under {@code latest}, at most {@code maxCatchUp}.
   */
  List<ZonedDateTime> startupTicks(ZonedDateTime now) throws IOException {
    Instant from = startedAt;
    if (from == null || (history.lastAttemptedTick() != null && catchUp != CatchUp.NONE)) {
      return List.of();
    }
    Map<LocalDate, ZonedDateTime> byDate = new LinkedHashMap<>();
    for (ZonedDateTime t = cron.next(from.atZone(zone));
        t != null && !t.isAfter(now);
        t = cron.next(t)) {
      byDate.put(runDateOf.apply(t), t);
    }
    List<ZonedDateTime> ticks = new ArrayList<>(byDate.values());
    if (catchUp == CatchUp.LATEST && ticks.size() > 1) {
      ticks = List.of(ticks.get(ticks.size() - 1));
    }
    return ticks.size() > maxCatchUp
        ? ticks.subList(ticks.size() - maxCatchUp, ticks.size())
        : ticks;
  }

  private static FileLock tryLock(FileChannel ch) throws IOException {
    try {
      return ch.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by this JVM
    }
  }

  /** Ticks between the last attempted one in the history and now, by the catch-up policy. */
  List<ZonedDateTime> missedTicks(ZonedDateTime now) throws IOException {
    Instant last = history.lastAttemptedTick();
    if (last == null || catchUp == CatchUp.NONE) {
      return List.of();
    }
    Map<LocalDate, ZonedDateTime> byDate = new LinkedHashMap<>();
    ZonedDateTime t = cron.next(last.atZone(zone));
    LocalDate lastDate = runDateOf.apply(last.atZone(zone));
    while (t != null && !t.isAfter(now)) {
      LocalDate d = runDateOf.apply(t);
      if (!d.equals(lastDate)) {
        byDate.put(d, t);
      }
      t = cron.next(t);
    }
    List<ZonedDateTime> ticks = new ArrayList<>(byDate.values());
    if (catchUp == CatchUp.LATEST && ticks.size() > 1) {
      ticks = List.of(ticks.get(ticks.size() - 1));
    }
    if (ticks.size() > maxCatchUp) {
      LOG.warn("{} missed run dates; catching up the latest {}", ticks.size(), maxCatchUp);
      ticks = ticks.subList(ticks.size() - maxCatchUp, ticks.size());
    }
    return ticks;
  }

  /**
   * The tick of a run that started and never recorded an end other than {@code interrupted}, or
   * null. A run that left no entry at all (the process was killed) gets its {@code interrupted}
   * entry here.
   */
  private ZonedDateTime interruptedRun() throws IOException {
    if (!Files.exists(inProgress)) {
      return null;
    }
    Instant tick;
    Instant started;
    try {
      com.fasterxml.jackson.databind.JsonNode n = JSON.readTree(inProgress.toFile());
      tick = Instant.parse(n.get("tick").asText());
      started = Instant.parse(n.get("startedAt").asText());
    } catch (IOException | RuntimeException e) {
      LOG.warn("ignoring unreadable {}: {}", inProgress, e.getMessage());
      Files.deleteIfExists(inProgress);
      return null;
    }
    boolean recorded =
        history.read().stream()
            .anyMatch(
                e ->
                    e.tick().equals(tick)
                        && !e.at().isBefore(started)
                        && !e.outcome().equals("skipped"));
    ZonedDateTime t = tick.atZone(zone);
    if (!recorded) {
      record(
          t,
          "interrupted",
          -1,
          "the scheduler died during this run (killed or crashed);"
              + " its date is run again on restart");
    }
    LOG.warn("the run of {} (tick {}) was interrupted; running it again", runDateOf.apply(t), t);
    return t;
  }

  private boolean runTick(ZonedDateTime tick, String why) throws IOException, InterruptedException {
    LocalDate date = runDateOf.apply(tick);
    LOG.info("{} {}: running run date {}", why, tick, date);
    markInProgress(tick);
    running = true;
    Outcome o;
    try {
      o = job.run(date);
    } finally {
      running = false;
    }
    // A run that drifted under --fail-on-drift (exit 7) committed its output: it is not re-run.
    boolean drifted = o.exitCode() == DRIFT_EXIT;
    boolean ok = o.exitCode() == 0 || drifted;
    String outcome = drifted ? "drift" : ok ? "ok" : stopping ? "interrupted" : "failed";
    history.append(
        new RunHistory.Entry(
            tick.toInstant(),
            date.toString(),
            outcome,
            o.exitCode(),
            o.message(),
            clock.instant(),
            o.drift()));
    if (!outcome.equals("interrupted")) {
      Files.deleteIfExists(inProgress);
    }
    LOG.info("{} run date {}: {} (exit {}) {}", why, date, outcome, o.exitCode(), o.message());
    return ok;
  }

  private void record(ZonedDateTime tick, String outcome, int code, String message)
      throws IOException {
    record(tick, outcome, code, message, runDateOf.apply(tick));
  }

  private void record(ZonedDateTime tick, String outcome, int code, String message, LocalDate date)
      throws IOException {
    history.append(
        new RunHistory.Entry(
            tick.toInstant(), date.toString(), outcome, code, message, clock.instant()));
  }

  /** Writes the in-progress marker: to a temporary file, synced, then renamed over the old one. */
  private void markInProgress(ZonedDateTime tick) throws IOException {
    com.fasterxml.jackson.databind.node.ObjectNode n = JSON.createObjectNode();
    n.put("tick", tick.toInstant().toString());
    n.put("runDate", runDateOf.apply(tick).toString());
    n.put("startedAt", clock.instant().toString());
    Path tmp = inProgress.resolveSibling(inProgress.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(n)));
      ch.force(true);
    }
    Files.move(
        tmp,
        inProgress,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Stops: no new run starts; a run in progress is cancelled. Safe from a shutdown hook. */
  public void stop() {
    stopping = true;
    if (running) {
      job.cancel();
    }
    Thread t = loop;
    if (t != null && !running) {
      t.interrupt();
    }
  }

  public boolean isRunning() {
    return running;
  }
}
