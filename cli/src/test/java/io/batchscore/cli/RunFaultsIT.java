package io.batchscore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.TestData;
import io.batchscore.spark.job.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/batchscore run (the Spark job, embedded) in child processes, stopped at several points:
 * during start-up, mid-write with SIGTERM and with SIGKILL. Whatever happens, the date's last
 * complete output stays readable and whole, and the next run of the date completes at once. Two
 * runs of a date started together leave one complete date (a second run while the first writes is
 * refused: ScoringJobTest, where the timing can be controlled).
 */
class RunFaultsIT {
  @TempDir Path tmp;
  private static final int COPIES = 300;
  private static final long EXPECTED = 569L * COPIES;
  private static final String DATE = "2026-01-02";

  private Process start(Path input, Path out) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                TestData.repoRoot().resolve("bin/batchscore").toString(),
                "run",
                "--spec",
                TestData.sample("specs/breast_cancer.yaml").toString(),
                "--input",
                input.toString(),
                "--output",
                out.toString(),
                "--run-date",
                DATE,
                "--master",
                "local[2]",
                "--partitions",
                "8"));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("log-" + System.nanoTime() + ".txt").toFile());
    pb.environment().put("BATCHSCORE_JAVA_OPTS", "-Xmx1200m");
    return pb.start();
  }

  private static int finish(Process p) throws Exception {
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), () -> "still running:\n" + ChildRuns.threadDump(p));
    return p.exitValue();
  }

  private static String log(Process p, Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      StringBuilder all = new StringBuilder();
      for (Path f :
          s.filter(f -> f.getFileName().toString().startsWith("log-")).sorted().toList()) {
        all.append(Files.readString(f));
      }
      return all.toString();
    }
  }

  private static void assertComplete(Path out) throws IOException {
    assertEquals(
        EXPECTED,
        ChildRuns.rows(out.resolve("run_date=" + DATE)),
        "the date is whole, no duplicates");
  }

  @Test
  void anInputThatIsNotParquetFailsWithOneMessageNotSparksStackTraces() throws Exception {
    Path input = Files.createDirectories(tmp.resolve("not-parquet"));
    Files.copy(TestData.sample("data/breast_cancer.csv"), input.resolve("part-0.parquet"));
    Path out = tmp.resolve("predictions");
    assertEquals(ExitCodes.BAD_INPUT, finish(start(input, out)));
    String log = log(null, tmp);
    assertTrue(log.contains("batchscore: "), log);
    assertFalse(log.contains("\tat org.apache.spark"), "no stack without --verbose:\n" + log);
    assertTrue(log.lines().count() < 20, log.lines().count() + " lines:\n" + log);
    assertFalse(Files.exists(out.resolve("run_date=" + DATE)));
  }

  @Test
  void aRunStoppedOrKilledAtAnyPointLeavesTheLastCompleteDateAndTheNextRunCompletes()
      throws Exception {
    Path input = ChildRuns.bigInput(tmp, COPIES);
    Path out = tmp.resolve("predictions");
    assertEquals(ExitCodes.OK, finish(start(input, out)));
    assertComplete(out);

    Process early = start(input, out);
    Thread.sleep(1500); // Spark is still starting: nothing written yet
    early.destroy();
    assertNotEquals(ExitCodes.OK, finish(early));
    assertComplete(out);

    Process killed = start(input, out);
    ChildRuns.waitForStaging(out, killed);
    killed.destroyForcibly();
    finish(killed);
    assertComplete(out);
    assertTrue(
        Files.exists(out.resolve("_locks/run_date=" + DATE)), "a killed run leaves its lock");

    assertEquals(
        ExitCodes.OK, finish(start(input, out)), "the dead run's lock is taken over at once");
    assertComplete(out);
    assertFalse(Files.exists(out.resolve("_staging")), "the killed run's staging was removed");
    assertFalse(Files.exists(out.resolve("_locks")), "no lock left");

    Process terminated = start(input, out);
    ChildRuns.waitForStaging(out, terminated);
    terminated.destroy();
    assertNotEquals(ExitCodes.OK, finish(terminated));
    assertComplete(out);
    assertEquals(ExitCodes.OK, finish(start(input, out)));
    assertComplete(out);
    assertFalse(Files.exists(out.resolve("_staging")));
  }

  @Test
  void twoRunsOfOneDateStartedTogetherLeaveOneCompleteDate() throws Exception {
    Path input = ChildRuns.bigInput(tmp, COPIES);
    Path out = tmp.resolve("predictions");
    Process a = start(input, out);
    Process b = start(input, out);
    int ca = finish(a);
    int cb = finish(b);
    String logs = log(a, tmp);
    assertTrue(
        List.of(ExitCodes.OK, ExitCodes.OUTPUT_CONFLICT).containsAll(List.of(ca, cb)),
        ca + " " + cb + "\n" + logs);
    assertTrue(ca == ExitCodes.OK || cb == ExitCodes.OK, "one of them ran:\n" + logs);
    assertComplete(out);
    assertFalse(Files.exists(out.resolve("_staging")));
    assertFalse(Files.exists(out.resolve("_locks")));
  }
}
