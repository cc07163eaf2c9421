package io.batchscore.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.TestData;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.spark.ml.OnnxScoringModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ML Transformer: in a Pipeline, saved and loaded with the model file, same predictions. */
class OnnxScoringModelTest {
  private static SparkSession spark;
  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.start();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Dataset<Row> input() {
    return spark.read().parquet(TestData.sample("data/wine.parquet").toString());
  }

  @Test
  void appendsPredictionsToEveryInputColumn() throws Exception {
    OnnxScoringModel m = new OnnxScoringModel().setSpec(ScoringSpec.load(TestData.sample("specs/wine_forest.yaml")));
    Dataset<Row> out = m.transform(input());
    List<String> cols = List.of(out.schema().fieldNames());
    assertEquals(input().columns().length + 4, cols.size(), cols.toString());
    assertTrue(cols.containsAll(List.of("alcohol", "target", "label", "probabilities", "top2", "top2_scores")));
    assertEquals(out.schema(), m.transformSchema(input().schema()), "schema known without data");
    assertEquals(178, out.filter("label = target").count() + out.filter("label != target").count());
  }

  @Test
  void savedAndLoadedInsideAPipelineGivesIdenticalPredictions() throws Exception {
    // Copy the model somewhere that disappears, to show the saved pipeline carries its own copy.
    Path modelCopy = tmp.resolve("elsewhere/wine.onnx");
    Files.createDirectories(modelCopy.getParent());
    Files.copy(TestData.sample("models/wine_forest.onnx"), modelCopy);
    ScoringSpec spec = ScoringSpec.load(TestData.sample("specs/wine_forest.yaml")).toBuilder().model(modelCopy.toString()).build();
    SQLTransformer prep = new SQLTransformer().setStatement("SELECT * FROM __THIS__ WHERE id >= 0");
    OnnxScoringModel scorer = new OnnxScoringModel().setSpec(spec);
    PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {prep, scorer}).fit(input());
    List<Row> before = fitted.transform(input()).select("id", "label", "top2_scores", "probabilities").orderBy("id").collectAsList();

    String saved = tmp.resolve("pipeline").toString();
    fitted.write().overwrite().save(saved);
    Files.delete(modelCopy);
    PipelineModel loaded = PipelineModel.load(saved);
    List<Row> after = loaded.transform(input()).select("id", "label", "top2_scores", "probabilities").orderBy("id").collectAsList();
    assertEquals(178, after.size());
    assertEquals(before, after);
    OnnxScoringModel loadedScorer = (OnnxScoringModel) loaded.stages()[1];
    assertEquals(scorer.uid(), loadedScorer.uid());
    assertTrue(loadedScorer.getSpec().contains(saved), loadedScorer.getSpec());
  }

  @Test
  void badSpecFailsAtTransformSchemaNamingTheProblem() throws Exception {
    ScoringSpec spec = ScoringSpec.load(TestData.sample("specs/wine_forest.yaml"));
    OnnxScoringModel m = new OnnxScoringModel().setSpec(spec);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> m.transformSchema(input().drop("hue").schema()));
    assertTrue(e.getMessage().contains("no column 'hue' in the input"), e.getMessage());
  }
}
