package io.batchscore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.TestData;
import io.batchscore.spark.job.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/batchscore as users run it, in child processes: the class-data archive of {@code score} is
 * recorded by a first successful run only and then used, with the same output; a score stopped
 * mid-run leaves neither output nor temporary file, and what one killed with -9 leaves is removed
 * by the next run into the same folder.
 */
class LauncherIT {
  @TempDir Path tmp;

  private Process start(Map<String, String> env, String... args) throws IOException {
    List<String> cmd =
        new ArrayList<>(List.of(TestData.repoRoot().resolve("bin/batchscore").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("log-" + System.nanoTime() + ".txt").toFile());
    pb.environment().put("BATCHSCORE_JAVA_OPTS", "-Xmx1g");
    pb.environment().putAll(env);
    return pb.start();
  }

  private int run(Map<String, String> env, String... args) throws Exception {
    Process p = start(env, args);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
    return p.exitValue();
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void scoreRecordsItsClassArchiveOnlyFromASuccessfulRunAndThenUsesIt() throws Exception {
    String spec = TestData.sample("specs/breast_cancer.yaml").toString();
    String in = TestData.sample("data/breast_cancer.parquet").toString();
    Path cds = tmp.resolve("cds");
    Map<String, String> env = Map.of("BATCHSCORE_CDS_DIR", cds.toString());

    assertEquals(ExitCodes.OK, run(env, "score", "--help"));
    assertEquals(
        ExitCodes.BAD_INPUT,
        run(
            env,
            "score",
            "--spec",
            spec,
            "-i",
            tmp.resolve("missing.parquet").toString(),
            "-o",
            tmp.resolve("x.parquet").toString()));
    assertEquals(
        List.of(),
        Files.exists(cds) ? names(cds) : List.of(),
        "neither a help run nor a failed run leaves an archive");

    Files.createDirectories(cds);
    Path otherCheckout =
        Files.writeString(cds.resolve("score-999-1.jsa"), "another checkout's archive");
    assertEquals(
        ExitCodes.OK,
        run(env, "score", "--spec", spec, "-i", in, "-o", tmp.resolve("a.parquet").toString()));
    Files.delete(otherCheckout); // kept: a new build replaces only its own checkout's archive
    List<String> archives = names(cds);
    assertEquals(1, archives.size(), archives.toString());
    assertTrue(archives.get(0).matches("score-[0-9]+-[0-9]+\\.jsa"), archives.toString());
    long recorded = Files.getLastModifiedTime(cds.resolve(archives.get(0))).toMillis();

    assertEquals(
        ExitCodes.OK,
        run(env, "score", "--spec", spec, "-i", in, "-o", tmp.resolve("b.parquet").toString()));
    assertEquals(archives, names(cds), "used, not recorded again");
    assertEquals(recorded, Files.getLastModifiedTime(cds.resolve(archives.get(0))).toMillis());
    // (the files' bytes differ from run to run anyway: Parquet lists a column's encodings from a
    // hash set)
    Map<Long, Float> a = ScoreCommandTest.column(tmp.resolve("a.parquet"), "p_benign");
    assertEquals(569, a.size());
    assertEquals(
        a,
        ScoreCommandTest.column(tmp.resolve("b.parquet"), "p_benign"),
        "the same output with and without the archive");
  }

  @Test
  void aScoreKilledMidRunLeavesNoOutputAndNoTemporaryFile() throws Exception {
    // ~1.1M rows for the MLP: several seconds of scoring, time to stop it in the middle
    Path in = bigInput(2_000, false);
    Path outDir = Files.createDirectories(tmp.resolve("out"));
    Process p =
        start(
            Map.of("BATCHSCORE_CDS", "off"),
            "score",
            "--spec",
            TestData.sample("specs/breast_cancer_mlp.yaml").toString(),
            "-i",
            in.toString(),
            "-o",
            outDir.resolve("scores.parquet").toString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (names(outDir).isEmpty() && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(p.isAlive(), "still scoring when the temporary output appeared");
    assertEquals(1, names(outDir).size());
    assertTrue(
        names(outDir).get(0).startsWith(".scores.parquet.batchscore-"), names(outDir).toString());
    p.destroy(); // SIGTERM, at once: the temporary file exists only while the run is in progress
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(143, p.exitValue(), "terminated by the signal");
    assertEquals(List.of(), names(outDir), "no output and no temporary file");
  }

  @Test
  void whatAScoreKilledWithSigkillLeavesIsRemovedByTheNextRunIntoTheFolder() throws Exception {
    Path in = bigInput(2_000, false);
    Path outDir = Files.createDirectories(tmp.resolve("out"));
    String[] args = {
      "score",
      "--spec",
      TestData.sample("specs/breast_cancer_mlp.yaml").toString(),
      "-i",
      in.toString(),
      "-o",
      outDir.resolve("scores.parquet").toString()
    };
    Process p = start(Map.of("BATCHSCORE_CDS", "off"), args);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (names(outDir).size() < 2 && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(p.isAlive(), "still scoring when the temporary output appeared");
    p.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    List<String> left = names(outDir);
    assertTrue(
        !left.isEmpty() && left.stream().allMatch(n -> n.startsWith(".scores.parquet.batchscore-")),
        left.toString());
    assertTrue(left.stream().noneMatch(n -> n.equals("scores.parquet")), "no output: " + left);

    assertEquals(ExitCodes.OK, run(Map.of("BATCHSCORE_CDS", "off"), args));
    assertEquals(
        List.of("scores.parquet"), names(outDir), "the killed run's hidden files are gone");
  }

  @Test
  void aRowGroupLargerThanTheDirectMemoryLimitIsNamedWithTheSettingToRaise() throws Exception {
    Path in =
        bigInput(100, true); // one row group, ~14 MB of column chunks read into direct buffers
    Path outDir = Files.createDirectories(tmp.resolve("out"));
    Process p =
        start(
            Map.of(
                "BATCHSCORE_CDS",
                "off",
                "BATCHSCORE_JAVA_OPTS",
                "-Xmx1g -XX:MaxDirectMemorySize=4m"),
            "score",
            "--spec",
            TestData.sample("specs/breast_cancer_mlp.yaml").toString(),
            "-i",
            in.toString(),
            "-o",
            outDir.resolve("scores.parquet").toString());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
    String log = Files.readString(lastLog());
    assertEquals(ExitCodes.RUNTIME_FAILURE, p.exitValue(), log);
    assertTrue(
        log.contains(in + ": a row group needs more direct memory than this JVM allows"), log);
    assertTrue(log.contains("-XX:MaxDirectMemorySize in BATCHSCORE_JAVA_OPTS"), log);
    assertTrue(!log.contains("\tat "), "no stack trace: " + log);
    assertEquals(List.of(), names(outDir), "no output and no temporary file");
  }

  private Path lastLog() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.filter(f -> f.getFileName().toString().startsWith("log-"))
          .max(java.util.Comparator.naturalOrder())
          .orElseThrow();
    }
  }

  private Path bigInput(int copies, boolean distinct) throws IOException {
    return ChildRuns.bigInput(tmp, copies, distinct);
  }
}
