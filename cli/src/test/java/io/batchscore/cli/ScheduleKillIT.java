package io.batchscore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.cli.schedule.RunHistory;
import io.batchscore.core.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/batchscore schedule in child JVMs: a tick runs; a kill -9 in the middle of a run and a
 * restart leave the date complete and not duplicated; SIGTERM in the middle of a run stops it
 * cleanly with the previous output in place.
 */
class ScheduleKillIT {
  @TempDir Path tmp;
  private static final int COPIES = 300;

  private Path bigInput() throws IOException {
    return ChildRuns.bigInput(tmp, COPIES);
  }

  private Process start(Path input, Path out, Path state, boolean oneTick) throws IOException {
    return start(input, out, state, oneTick, "*/2 * * * * *", "all");
  }

  private Process start(
      Path input, Path out, Path state, boolean oneTick, String cron, String catchUp)
      throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                TestData.repoRoot().resolve("bin/batchscore").toString(),
                "schedule",
                "--cron",
                cron,
                "--catch-up",
                catchUp,
                "--spec",
                TestData.sample("specs/breast_cancer.yaml").toString(),
                "--input",
                input.toString(),
                "--output",
                out.toString(),
                "--state-dir",
                state.toString(),
                "--master",
                "local[2]",
                "--partitions",
                "8"));
    if (oneTick) {
      cmd.addAll(List.of("--max-ticks", "1"));
    }
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("log-" + System.nanoTime() + ".txt").toFile());
    pb.environment().put("BATCHSCORE_JAVA_OPTS", "-Xmx1500m");
    pb.environment().remove("SPARK_LOCAL_IP");
    return pb.start();
  }

  private static long rows(Path partition) throws IOException {
    return ChildRuns.rows(partition);
  }

  private static String threadDump(Process p) {
    return ChildRuns.threadDump(p);
  }

  /** Outcomes of runs (ticks skipped because a run was in progress left out). */
  private static List<String> runs(RunHistory h) throws IOException {
    return h.read().stream()
        .map(RunHistory.Entry::outcome)
        .filter(o -> !o.equals("skipped") && !o.equals("stopped"))
        .toList();
  }

  private static void waitForStaging(Path out, Process p) throws Exception {
    ChildRuns.waitForStaging(out, p);
  }

  @Test
  void killMidRunAndRestartLeavesTheDateCompleteAndSigtermStopsCleanly() throws Exception {
    Path input = bigInput();
    long expected = 569L * COPIES;
    Path out = tmp.resolve("predictions");
    Path state = tmp.resolve("state");
    Path partition = out.resolve("run_date=" + LocalDate.now().minusDays(1));
    RunHistory history = new RunHistory(state.resolve("history.jsonl"));

    Process first = start(input, out, state, true);
    assertTrue(first.waitFor(3, TimeUnit.MINUTES));
    assertEquals(0, first.exitValue());
    assertEquals(expected, rows(partition));
    // The ticks every 2 s during the scheduler's start-up (Spark, seconds) are one run date: run
    // once, then the one tick it was given.
    List<String> firstRuns = runs(history);
    assertEquals(List.of("ok", "ok"), firstRuns, "a start-up tick's run, then the tick");

    Process killed = start(input, out, state, false);
    waitForStaging(out, killed);
    killed.destroyForcibly();
    assertTrue(killed.waitFor(1, TimeUnit.MINUTES));
    assertEquals(expected, rows(partition), "the killed run left the previous output as it was");

    Process restarted = start(input, out, state, true);
    assertTrue(restarted.waitFor(3, TimeUnit.MINUTES));
    assertEquals(0, restarted.exitValue());
    assertEquals(expected, rows(partition), "no duplicates after the restart");
    assertFalse(
        Files.exists(out.resolve("_staging")), "the restart removed the killed run's staging");

    Process terminated = start(input, out, state, false);
    waitForStaging(out, terminated);
    terminated.destroy(); // SIGTERM
    assertTrue(
        terminated.waitFor(2, TimeUnit.MINUTES),
        () -> "still running after SIGTERM:\n" + threadDump(terminated));
    assertEquals(143, terminated.exitValue(), "SIGTERM: 128 + 15, as the README's table says");
    assertEquals(expected, rows(partition));
    assertFalse(
        Files.exists(out.resolve("_staging")), "SIGTERM aborted the run and removed its staging");
    assertEquals(
        List.of("ok", "ok", "interrupted", "ok", "ok", "interrupted"),
        runs(history),
        "the killed run is recorded as interrupted by the restart, which ran it again before its tick");
    assertTrue(
        history.read().stream().anyMatch(e -> e.outcome().equals("skipped")),
        "ticks during runs were skipped");
    assertEquals(
        "stopped",
        history.read().get(history.read().size() - 1).outcome(),
        "the SIGTERM is in the history");
  }

  @Test
  void theFirstRunOfAFreshStateDirKilledIsRunOnRestartBeforeAnyTick() throws Exception {
    Path input = bigInput();
    Path out = tmp.resolve("predictions");
    Path state = tmp.resolve("state");
    RunHistory history = new RunHistory(state.resolve("history.jsonl"));
    Process killed = start(input, out, state, false);
    waitForStaging(out, killed);
    killed.destroyForcibly();
    assertTrue(killed.waitFor(1, TimeUnit.MINUTES));
    assertEquals(List.of(), runs(history), "a killed run writes nothing");

    // A daily tick twelve hours away, and no catch-up: only the retry can run the lost date.
    java.time.LocalTime at = java.time.LocalTime.now().plusHours(12);
    Process restarted =
        start(
            input,
            out,
            state,
            false,
            "0 " + at.getMinute() + " " + at.getHour() + " * * *",
            "none");
    for (int i = 0; i < 1800 && runs(history).size() < 2; i++) {
      assertTrue(restarted.isAlive(), "the scheduler runs until stopped");
      Thread.sleep(100);
    }
    assertEquals(List.of("interrupted", "ok"), runs(history));
    List<ListeningSockets.Socket> sockets = ListeningSockets.of(restarted.pid());
    assertTrue(!sockets.isEmpty(), "the embedded Spark's driver listens");
    assertTrue(
        sockets.stream().allMatch(ListeningSockets.Socket::loopback),
        "the embedded Spark listens on the loopback address only: " + sockets);
    assertTrue(
        sockets.stream().noneMatch(x -> x.port() >= 4040 && x.port() < 4050),
        "no web UI: " + sockets);
    restarted.destroy();
    assertTrue(
        restarted.waitFor(2, TimeUnit.MINUTES),
        () -> "still running after SIGTERM:\n" + threadDump(restarted));
    assertEquals(569L * COPIES, rows(out.resolve("run_date=" + LocalDate.now().minusDays(1))));
  }
}
