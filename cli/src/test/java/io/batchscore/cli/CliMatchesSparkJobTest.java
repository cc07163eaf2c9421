package io.batchscore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.batchscore.core.TestData;
import io.batchscore.spark.SparkTestSession;
import io.batchscore.spark.job.JobOptions;
import io.batchscore.spark.job.JobRunner;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** batchscore score on the sample Parquet and CSV gives exactly the Spark job's predictions. */
class CliMatchesSparkJobTest {
  @TempDir Path tmp;

  @Test
  void scoreOnParquetAndCsvEqualsTheSparkJob() throws Exception {
    String spec = TestData.sample("specs/breast_cancer.yaml").toString();
    SparkSession spark = SparkTestSession.start();
    try {
      JobOptions o = new JobOptions();
      o.spec = spec;
      o.input = TestData.sample("data/breast_cancer.parquet").toString();
      o.output = tmp.resolve("job").toString();
      o.runDate = LocalDate.of(2026, 11, 24);
      o.partitions = 5;
      JobRunner.run(o, spark);
    } finally {
      spark.stop();
    }
    Map<Long, Float> job =
        ScoreCommandTest.column(tmp.resolve("job/run_date=2026-11-24"), "p_benign");
    assertEquals(569, job.size());
    for (String input : new String[] {"data/breast_cancer.parquet", "data/breast_cancer.csv"}) {
      Path out = tmp.resolve(input.replace('/', '_') + ".out.parquet");
      CliRunner.Result r =
          CliRunner.run(
              "score",
              "--spec",
              spec,
              "-i",
              TestData.sample(input).toString(),
              "-o",
              out.toString());
      assertEquals(0, r.code(), r.err());
      assertEquals(job, ScoreCommandTest.column(out, "p_benign"), input);
    }
  }
}
