package io.batchscore.core.soak;

import io.batchscore.core.BatchScorer;
import io.batchscore.core.ScoreResult;
import io.batchscore.core.ScorerOptions;
import io.batchscore.core.ScoringPlan;
import io.batchscore.core.TestData;
import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.spec.EngineKind;
import io.batchscore.core.spec.ScoringSpec;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A soak run in a JVM of its own (started by {@link NativeMemorySoakTest}): scores {@code batches}
 * batches of {@code rows} rows of a sample through a spec and prints the process's resident set
 * size after the warm-up and at the end, one {@code rss <batches> <kB>} line each.
 *
 * <p>Arguments: spec path, data CSV, engine (ort or djl), rows per batch, batches.
 */
public final class SoakMain {
  private SoakMain() {}

  public static void main(String[] args) throws Exception {
    Path spec = Path.of(args[0]);
    ColumnBatch sample = TestData.batch(TestData.readCsv(Path.of(args[1])));
    EngineKind engine = EngineKind.parse(args[2]);
    int rows = Integer.parseInt(args[3]);
    int batches = Integer.parseInt(args[4]);
    int warmUp = batches / 5;
    ColumnBatch batch = repeat(sample, rows);
    ScoringSpec s = ScoringSpec.load(spec).toBuilder().engine(engine).batchSize(rows).build();
    long checksum = 0;
    try (BatchScorer scorer =
        BatchScorer.open(ScoringPlan.bind(s, null), ScorerOptions.builder().cpuShare(1).build())) {
      for (int i = 1; i <= batches; i++) {
        ScoreResult r = scorer.score(batch);
        checksum += r.rowsScored();
        if (i == warmUp || i == batches) {
          System.gc();
          System.out.println("rss " + i + " " + rssKb());
          System.out.flush();
        }
      }
    }
    System.out.println("scored " + checksum);
  }

  /** The sample's rows over and over, {@code n} of them. */
  private static ColumnBatch repeat(ColumnBatch sample, int n) {
    int[] rowsOf = new int[n];
    for (int i = 0; i < n; i++) {
      rowsOf[i] = i % sample.rowCount();
    }
    ColumnBatch.Builder b = ColumnBatch.builder(n);
    for (var e : sample.columns().entrySet()) {
      Column c = e.getValue();
      b.add(e.getKey(), c.select(rowsOf, n));
    }
    return b.build();
  }

  static long rssKb() throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
