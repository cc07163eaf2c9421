package io.batchscore.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.batchscore.core.TestData;
import io.batchscore.core.spec.ScoringSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Tasks with two CPUs ({@code spark.task.cpus=2}) score two model batches at once, one per CPU, and
 * give exactly the predictions of one-CPU tasks.
 */
class TaskCpusTest {

  private static Map<Integer, Float> scores(int taskCpus, ScoringSpec spec, long[] calls)
      throws Exception {
    SparkSession spark = SparkTestSession.start("spark.task.cpus", Integer.toString(taskCpus));
    try {
      Dataset<Row> input = SparkTestSession.csv(spark, "breast_cancer.csv").coalesce(1);
      SparkScoring.Prepared p = SparkScoring.prepare(spark, input, spec, SparkScoring.Layout.JOB);
      List<Row> rows = p.scored().collectAsList();
      Map<Integer, Float> out = new HashMap<>();
      for (Row r : rows) {
        out.put(r.getInt(0), r.getFloat(2));
      }
      calls[0] = p.metrics().batches.value();
      return out;
    } finally {
      spark.stop();
    }
  }

  @Test
  void aTaskWithTwoCpusScoresTwoBatchesPerCallWithTheSamePredictions() throws Exception {
    ScoringSpec spec =
        ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml")).toBuilder()
            .batchSize(16)
            .build();
    long[] oneCpu = new long[1];
    long[] twoCpus = new long[1];
    Map<Integer, Float> expected = scores(1, spec, oneCpu);
    Map<Integer, Float> got = scores(2, spec, twoCpus);
    assertEquals(569, expected.size());
    assertEquals(expected, got, "bit-identical predictions");
    assertEquals(36, oneCpu[0], "569 rows in one partition, batches of 16");
    assertEquals(18, twoCpus[0], "two batches of 16 per call: one per CPU");
  }
}
