package io.batchscore.spark;

import io.batchscore.core.TestData;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.spark.ml.OnnxScoringModel;
import java.nio.file.Path;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.SparkSession;

/**
 * Saves the pipeline that {@code PipelineAcrossLinesTest} loads on every Spark line: a SQL step and
 * the sample's logistic regression, fitted on the sample, into {@code
 * spark-job/src/test/resources/pipelines/spark-<version>/}. Run on each line from the repository
 * root (Spark needs the JVM opens in Maven's own JVM):
 *
 * <pre>
 * MAVEN_OPTS="$(mvn -q help:evaluate -Dexpression=spark.jvm.opens -DforceStdout)" \
 *   mvn -q -pl spark-job test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.batchscore.spark.MakePipelineFixture
 * </pre>
 *
 * and the same with {@code -pl spark-job-3.5}.
 */
public final class MakePipelineFixture {
  private MakePipelineFixture() {}

  public static void main(String[] args) throws Exception {
    SparkSession spark = SparkTestSession.start();
    try {
      Path out =
          TestData.repoRoot()
              .resolve("spark-job/src/test/resources/pipelines/spark-" + spark.version());
      PipelineModel fitted =
          new Pipeline()
              .setStages(
                  new PipelineStage[] {
                    new SQLTransformer().setStatement("SELECT * FROM __THIS__ WHERE id >= 0"),
                    new OnnxScoringModel()
                        .setSpec(ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml")))
                  })
              .fit(PipelineAcrossLinesTest.input(spark));
      fitted.write().overwrite().save(out.toString());
      System.out.println("saved " + out);
    } finally {
      spark.stop();
    }
  }
}
