package io.batchscore.cli.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler on a per-second cron, with a stand-in job. */
class SchedulerTest {
  @TempDir Path dir;
  private static final CronExpression EVERY_SECOND = new CronExpression("* * * * * *");

  /** One run date per second, so every tick is a distinct date. */
  private static final Function<ZonedDateTime, LocalDate> DATE_PER_SECOND =
      t -> LocalDate.ofEpochDay(t.toEpochSecond() / 1 % 1_000_000);

  /** Records run dates; optionally slow; checks that runs never overlap. */
  static class FakeJob implements Scheduler.Job {
    final List<LocalDate> dates = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final long millis;
    volatile CountDownLatch block;

    FakeJob(long millis) {
      this.millis = millis;
    }

    @Override
    public Scheduler.Outcome run(LocalDate d) throws InterruptedException {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        dates.add(d);
        if (block != null) {
          block.await(30, TimeUnit.SECONDS);
          return new Scheduler.Outcome(1, "cancelled");
        }
        Thread.sleep(millis);
        return new Scheduler.Outcome(0, "ok");
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public void cancel() {
      if (block != null) {
        block.countDown();
      }
    }
  }

  private Scheduler scheduler(FakeJob job, Scheduler.CatchUp policy, RunHistory h) {
    return new Scheduler(
        EVERY_SECOND,
        ZoneOffset.UTC,
        Clock.systemUTC(),
        DATE_PER_SECOND,
        job,
        h,
        dir.resolve("schedule.lock"),
        policy,
        31);
  }

  @Test
  void ticksThatPassedDuringStartUpAreRunOrRecordedNotLost() throws Exception {
    // Started 3 s ago (a Spark session's start-up), on a fresh state dir.
    java.time.Instant started = java.time.Instant.now().minusSeconds(3);
    FakeJob job = new FakeJob(1);
    RunHistory h = new RunHistory(dir.resolve("history.jsonl"));
    scheduler(job, Scheduler.CatchUp.ALL, h).startedAt(started).runUntilStopped(1);
    List<String> outcomes = h.read().stream().map(RunHistory.Entry::outcome).toList();
    assertTrue(job.dates.size() >= 4, "3 start-up ticks and one more: " + job.dates);
    assertTrue(outcomes.stream().allMatch("ok"::equals), outcomes.toString());

    RunHistory none = new RunHistory(dir.resolve("none.jsonl"));
    FakeJob other = new FakeJob(1);
    scheduler(other, Scheduler.CatchUp.NONE, none)
        .startedAt(java.time.Instant.now().minusSeconds(3))
        .runUntilStopped(1);
    List<RunHistory.Entry> entries = none.read();
    assertTrue(
        entries.stream()
                .filter(e -> e.outcome().equals("skipped"))
                .filter(e -> e.message().contains("the scheduler was starting at this tick"))
                .count()
            >= 2,
        entries.toString());
  }

  @Test
  void ticksRunOneAfterAnother() throws Exception {
    FakeJob job = new FakeJob(10);
    RunHistory h = new RunHistory(dir.resolve("history.jsonl"));
    assertEquals(0, scheduler(job, Scheduler.CatchUp.ALL, h).runUntilStopped(3));
    assertEquals(3, job.dates.size());
    assertEquals(
        List.of("ok", "ok", "ok"), h.read().stream().map(RunHistory.Entry::outcome).toList());
    assertTrue(
        job.dates.get(0).isBefore(job.dates.get(1)) && job.dates.get(1).isBefore(job.dates.get(2)));
  }

  @Test
  void aTickDuringARunIsSkippedNeverRunConcurrently() throws Exception {
    FakeJob job = new FakeJob(2300);
    RunHistory h = new RunHistory(dir.resolve("history.jsonl"));
    scheduler(job, Scheduler.CatchUp.ALL, h).runUntilStopped(5);
    List<String> outcomes = h.read().stream().map(RunHistory.Entry::outcome).toList();
    assertTrue(outcomes.contains("skipped"), outcomes.toString());
    assertEquals(1, job.maxInFlight.get(), "never two runs at once");
    assertEquals(outcomes.stream().filter("ok"::equals).count(), job.dates.size());
    assertTrue(
        h.read().stream()
            .filter(e -> e.outcome().equals("skipped"))
            .allMatch(e -> e.message().contains("still in progress")));
  }

  @Test
  void eachRunsDriftStatusIsRecordedAndADriftedRunIsNotRunAgain() throws Exception {
    // Three ticks: ok, warn (exit 0), drift under --fail-on-drift (exit 7, output committed).
    List<Scheduler.Outcome> outcomes =
        List.of(
            new Scheduler.Outcome(0, "scored", "ok"),
            new Scheduler.Outcome(0, "scored", "warn"),
            new Scheduler.Outcome(7, "drift: mean_radius psi 0.31 >= 0.25", "drift"));
    FakeJob job =
        new FakeJob(1) {
          @Override
          public Scheduler.Outcome run(LocalDate d) throws InterruptedException {
            super.run(d);
            return outcomes.get(dates.size() - 1);
          }
        };
    RunHistory h = new RunHistory(dir.resolve("history.jsonl"));
    scheduler(job, Scheduler.CatchUp.ALL, h).runUntilStopped(3);
    List<RunHistory.Entry> entries = h.read();
    assertEquals(
        List.of("ok", "ok", "drift"), entries.stream().map(RunHistory.Entry::outcome).toList());
    assertEquals(
        List.of("ok", "warn", "drift"), entries.stream().map(RunHistory.Entry::drift).toList());
    assertEquals(7, entries.get(2).exitCode());
    // A restart does not run the drifted date again: it was committed.
    FakeJob next = new FakeJob(1);
    scheduler(next, Scheduler.CatchUp.ALL, h).runUntilStopped(1);
    assertTrue(
        next.dates.stream().noneMatch(job.dates::contains),
        "no date run twice: " + job.dates + " then " + next.dates);
  }

  private RunHistory historyEndingSecondsAgo(int seconds) throws Exception {
    RunHistory h = new RunHistory(dir.resolve("history.jsonl"));
    Instant last =
        Instant.now().minusSeconds(seconds).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    h.append(
        new RunHistory.Entry(
            last,
            DATE_PER_SECOND.apply(last.atZone(ZoneOffset.UTC)).toString(),
            "ok",
            0,
            "earlier",
            last));
    return h;
  }

  @Test
  void missedTicksAreAllCaughtUpOldestFirst() throws Exception {
    RunHistory h = historyEndingSecondsAgo(6);
    FakeJob job = new FakeJob(1);
    scheduler(job, Scheduler.CatchUp.ALL, h).runUntilStopped(1);
    assertTrue(job.dates.size() >= 6 && job.dates.size() <= 8, job.dates.toString());
    for (int i = 1; i < job.dates.size(); i++) {
      assertTrue(job.dates.get(i - 1).isBefore(job.dates.get(i)), "oldest first: " + job.dates);
    }
    assertTrue(h.read().stream().skip(1).allMatch(e -> e.outcome().equals("ok")));
  }

  @Test
  void latestPolicyCatchesUpOnlyTheMostRecentMissedDate() throws Exception {
    RunHistory h = historyEndingSecondsAgo(6);
    FakeJob job = new FakeJob(1);
    Scheduler s = scheduler(job, Scheduler.CatchUp.LATEST, h);
    List<ZonedDateTime> missed = s.missedTicks(ZonedDateTime.now(ZoneOffset.UTC));
    assertEquals(1, missed.size());
    s.runUntilStopped(1);
    assertEquals(2, job.dates.size(), "one catch-up, one tick");
  }

  @Test
  void nonePolicySkipsMissedTicks() throws Exception {
    RunHistory h = historyEndingSecondsAgo(6);
    FakeJob job = new FakeJob(1);
    scheduler(job, Scheduler.CatchUp.NONE, h).runUntilStopped(1);
    assertEquals(1, job.dates.size());
  }

  @Test
  void aSecondSchedulerIsRefusedWhileTheFirstHoldsTheLock() throws Exception {
    FakeJob slow = new FakeJob(3000);
    RunHistory h = new RunHistory(dir.resolve("history.jsonl"));
    Scheduler first = scheduler(slow, Scheduler.CatchUp.NONE, h);
    Thread t =
        new Thread(
            () -> {
              try {
                first.runUntilStopped(1);
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    t.start();
    Thread.sleep(300);
    Scheduler.LockedException e =
        assertThrows(
            Scheduler.LockedException.class,
            () -> scheduler(new FakeJob(1), Scheduler.CatchUp.NONE, h).runUntilStopped(1));
    assertTrue(e.getMessage().contains("another batchscore scheduler holds"), e.getMessage());
    // the check a scheduler makes before starting Spark refuses at once too
    assertThrows(
        Scheduler.LockedException.class, () -> Scheduler.checkFree(dir.resolve("schedule.lock")));
    t.join();
    Scheduler.checkFree(dir.resolve("schedule.lock"));
    // the lock is free again once the first stopped
    assertEquals(0, scheduler(new FakeJob(1), Scheduler.CatchUp.NONE, h).runUntilStopped(1));
  }

  /** Runs the scheduler on a thread of its own, returning once a run is in progress. */
  private static Thread startUntilARunIsInProgress(Scheduler s) throws InterruptedException {
    Thread t =
        new Thread(
            () -> {
              try {
                s.runUntilStopped(0);
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    t.start();
    for (int i = 0; i < 100 && !s.isRunning(); i++) {
      Thread.sleep(50);
    }
    return t;
  }

  @Test
  void stopCancelsTheRunInProgressRecordsItAndARestartRunsItAgain() throws Exception {
    FakeJob job = new FakeJob(0);
    job.block = new CountDownLatch(1);
    RunHistory h = new RunHistory(dir.resolve("history.jsonl"));
    Scheduler s = scheduler(job, Scheduler.CatchUp.NONE, h);
    Thread t = startUntilARunIsInProgress(s);
    assertTrue(s.isRunning());
    s.stop();
    t.join(10_000);
    assertTrue(!t.isAlive(), "scheduler returned after stop");
    List<RunHistory.Entry> entries = h.read();
    assertEquals(
        List.of("interrupted", "stopped"),
        entries.stream().map(RunHistory.Entry::outcome).toList(),
        "the stop is in the history too");

    // Started again, the scheduler runs the stopped date first.
    FakeJob next = new FakeJob(1);
    scheduler(next, Scheduler.CatchUp.NONE, h).runUntilStopped(1);
    assertEquals(job.dates.get(0), next.dates.get(0), "the stopped date runs first");
    assertEquals(
        List.of("interrupted", "stopped", "ok", "ok"),
        h.read().stream().map(RunHistory.Entry::outcome).toList(),
        "no second 'interrupted' entry for a stop that recorded its own");
  }

  /** A job that dies in the middle of its first run, as a process killed with -9 would. */
  static final class DyingJob extends FakeJob {
    DyingJob() {
      super(0);
    }

    @Override
    public Scheduler.Outcome run(LocalDate d) {
      dates.add(d);
      throw new IllegalStateException("killed");
    }
  }

  @Test
  void aRunKilledOnAFreshStateDirIsRunAgainOnRestartWhateverThePolicy() throws Exception {
    RunHistory h = new RunHistory(dir.resolve("history.jsonl"));
    DyingJob dying = new DyingJob();
    assertThrows(
        IllegalStateException.class,
        () -> scheduler(dying, Scheduler.CatchUp.NONE, h).runUntilStopped(1));
    assertEquals(List.of(), h.read(), "a killed run writes nothing");
    LocalDate lost = dying.dates.get(0);

    FakeJob job = new FakeJob(1);
    assertEquals(0, scheduler(job, Scheduler.CatchUp.NONE, h).runUntilStopped(1));
    assertEquals(lost, job.dates.get(0), "the killed run's date runs first: " + job.dates);
    assertEquals(2, job.dates.size(), "then the next tick");
    List<RunHistory.Entry> entries = h.read();
    assertEquals(
        List.of("interrupted", "ok", "ok"),
        entries.stream().map(RunHistory.Entry::outcome).toList());
    assertEquals(lost.toString(), entries.get(0).runDate());
    assertTrue(
        entries.get(0).message().contains("the scheduler died during this run"),
        entries.get(0).message());
    assertEquals(lost.toString(), entries.get(1).runDate());
    assertTrue(
        !java.nio.file.Files.exists(dir.resolve("in-progress.json")),
        "no run in progress any more");

    FakeJob later = new FakeJob(1);
    scheduler(later, Scheduler.CatchUp.NONE, h).runUntilStopped(1);
    assertEquals(1, later.dates.size(), "a run that ended is not run again");
  }
}
