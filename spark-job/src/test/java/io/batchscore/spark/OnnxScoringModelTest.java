package io.batchscore.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    OnnxScoringModel m =
        new OnnxScoringModel().setSpec(ScoringSpec.load(TestData.sample("specs/wine_forest.yaml")));
    Dataset<Row> out = m.transform(input());
    List<String> cols = List.of(out.schema().fieldNames());
    assertEquals(input().columns().length + 4, cols.size(), cols.toString());
    assertTrue(
        cols.containsAll(
            List.of("alcohol", "target", "label", "probabilities", "top2", "top2_scores")));
    assertEquals(out.schema(), m.transformSchema(input().schema()), "schema known without data");
    assertEquals(178, out.filter("label = target").count() + out.filter("label != target").count());
  }

  @Test
  void paramsOverrideTheSpecAreReadBackAndSurviveSaveAndLoad() throws Exception {
    ScoringSpec spec = ScoringSpec.load(TestData.sample("specs/wine_forest.yaml"));
    OnnxScoringModel m = new OnnxScoringModel().setSpec(spec);
    assertEquals(spec.batchSize(), m.getBatchSize(), "unset: the spec's");
    assertEquals("auto", m.getDevice());
    assertEquals(0, m.getIntraOpThreads());
    assertEquals(List.of("label", "probabilities", "top2"), List.of(m.getPredictionCols()));

    m.setBatchSize(7).setDevice("cpu").setIntraOpThreads(1).setPredictionCols("cls", "p", "best");
    assertEquals(7, m.getBatchSize());
    assertEquals("cpu", m.getDevice());
    assertEquals(1, m.getIntraOpThreads());
    Dataset<Row> out = m.transform(input());
    List<String> cols = List.of(out.columns());
    assertTrue(cols.containsAll(List.of("cls", "p", "best", "top2_scores")), cols.toString());
    assertFalse(cols.contains("label"), cols.toString());
    assertEquals(out.schema(), m.transformSchema(input().schema()));
    List<Row> before = out.select("id", "cls").orderBy("id").collectAsList();

    String saved = tmp.resolve("tuned").toString();
    m.write().overwrite().save(saved);
    OnnxScoringModel loaded = OnnxScoringModel.load(saved);
    assertEquals(7, loaded.getBatchSize());
    assertEquals("cpu", loaded.getDevice());
    assertEquals(List.of("cls", "p", "best"), List.of(loaded.getPredictionCols()));
    assertEquals(
        before, loaded.transform(input()).select("id", "cls").orderBy("id").collectAsList());

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> m.setPredictionCols("only_one").transformSchema(input().schema()));
    assertTrue(
        e.getMessage().contains("predictionCols has 1 names but the spec has 3"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> m.setBatchSize(0));
    assertThrows(IllegalArgumentException.class, () -> m.setDevice("tpu"));
  }

  @Test
  void savedAndLoadedInsideAPipelineGivesIdenticalPredictions() throws Exception {
    // Copy the model somewhere that disappears, to show the saved pipeline carries its own copy.
    Path modelCopy = tmp.resolve("elsewhere/wine.onnx");
    Files.createDirectories(modelCopy.getParent());
    Files.copy(TestData.sample("models/wine_forest.onnx"), modelCopy);
    ScoringSpec spec =
        ScoringSpec.load(TestData.sample("specs/wine_forest.yaml")).toBuilder()
            .model(modelCopy.toString())
            .build();
    SQLTransformer prep = new SQLTransformer().setStatement("SELECT * FROM __THIS__ WHERE id >= 0");
    OnnxScoringModel scorer = new OnnxScoringModel().setSpec(spec);
    PipelineModel fitted =
        new Pipeline().setStages(new PipelineStage[] {prep, scorer}).fit(input());
    List<Row> before =
        fitted
            .transform(input())
            .select("id", "label", "top2_scores", "probabilities")
            .orderBy("id")
            .collectAsList();

    String saved = tmp.resolve("pipeline").toString();
    fitted.write().overwrite().save(saved);
    Files.delete(modelCopy);
    PipelineModel loaded = PipelineModel.load(saved);
    List<Row> after =
        loaded
            .transform(input())
            .select("id", "label", "top2_scores", "probabilities")
            .orderBy("id")
            .collectAsList();
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
        assertThrows(
            IllegalArgumentException.class, () -> m.transformSchema(input().drop("hue").schema()));
    assertTrue(e.getMessage().contains("no column 'hue' in the input"), e.getMessage());
  }

  @Test
  void aSavedFolderWhoseModelPathLeavesTheFolderIsRefused() throws Exception {
    OnnxScoringModel scorer =
        new OnnxScoringModel().setSpec(ScoringSpec.load(TestData.sample("specs/wine_forest.yaml")));
    Path saved = tmp.resolve("saved");
    scorer.write().overwrite().save(saved.toString());
    Path meta = saved.resolve("metadata/part-00000");
    String original = Files.readString(meta);
    Files.deleteIfExists(
        saved.resolve("metadata/.part-00000.crc")); // Hadoop's checksum of the file, edited here
    Files.createDirectories(tmp.resolve("outside"));
    Files.copy(TestData.sample("models/wine_forest.onnx"), tmp.resolve("outside/model.onnx"));
    for (String path :
        List.of(
            "../outside/model.onnx",
            tmp.resolve("outside/model.onnx").toString(),
            "model/../../outside/model.onnx",
            "file:" + tmp.resolve("outside/model.onnx"))) {
      Files.writeString(meta, original.replace("model/wine_forest.onnx", path));
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> OnnxScoringModel.load(saved.toString()));
      assertTrue(
          e.getMessage().contains("its model path '" + path + "' points outside the saved folder"),
          e.getMessage());
    }
    Files.writeString(meta, original);
    assertEquals(
        scorer.uid(), OnnxScoringModel.load(saved.toString()).uid(), "the folder as saved loads");
  }

  @Test
  void aModelsExternalWeightsAreSavedBesideIt() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.copy(TestData.fixture("external.onnx"), src.resolve("external.onnx"));
    Files.copy(TestData.fixture("external.bin"), src.resolve("external.bin"));
    ScoringSpec spec =
        ScoringSpec.builder()
            .model(src.resolve("external.onnx"))
            .input(io.batchscore.core.spec.InputBinding.ofColumn("x", "x"))
            .output(io.batchscore.core.spec.OutputBinding.of("y", "y"))
            .build();
    Path saved = tmp.resolve("saved");
    new OnnxScoringModel().setSpec(spec).write().overwrite().save(saved.toString());
    assertTrue(Files.exists(saved.resolve("model/external.onnx")));
    assertTrue(Files.exists(saved.resolve("model/external.bin")));
    Files.delete(src.resolve("external.bin"));
    Files.delete(src.resolve("external.onnx"));
    org.apache.spark.sql.types.StructType schema =
        new org.apache.spark.sql.types.StructType()
            .add(
                "x",
                org.apache.spark.sql.types.DataTypes.createArrayType(
                    org.apache.spark.sql.types.DataTypes.FloatType));
    assertTrue(
        List.of(OnnxScoringModel.load(saved.toString()).transformSchema(schema).fieldNames())
            .contains("y"));
  }

  @Test
  void aWrongPinFailsWhenTheTransformIsPlannedNotWhenItRuns() throws Exception {
    ScoringSpec spec =
        ScoringSpec.load(TestData.sample("specs/wine_forest.yaml")).toBuilder()
            .modelSha256("ab".repeat(32))
            .build();
    OnnxScoringModel m = new OnnxScoringModel().setSpec(spec);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> m.transform(input()));
    assertTrue(e.getMessage().contains("but the spec expects " + "ab".repeat(32)), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> m.transformSchema(input().schema()));
  }
}
