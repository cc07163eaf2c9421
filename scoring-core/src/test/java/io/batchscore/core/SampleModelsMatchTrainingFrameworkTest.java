package io.batchscore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.spec.InputBinding;
import io.batchscore.core.spec.ScoringSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every sample model, scored through scoring-core, gives the predictions scikit-learn produced when
 * it was trained (sample-data/expected/), within 1e-5.
 */
class SampleModelsMatchTrainingFrameworkTest {
  private static final double TOL = 1e-5;
  private final ModelCache cache = new ModelCache(4);

  private ScorerOptions options() {
    return ScorerOptions.builder().cache(cache).build();
  }

  @ParameterizedTest(name = "batch size {0}")
  @ValueSource(ints = {1, 100, 4096})
  void logisticRegressionMatchesSklearnAtAnyBatchSize(int batchSize) throws Exception {
    breastCancerModelMatchesSklearn("breast_cancer.yaml", "breast_cancer_logreg.csv", batchSize);
  }

  @ParameterizedTest(name = "batch size {0}")
  @ValueSource(ints = {1, 100, 1024})
  void tabularMlpMatchesSklearnAtAnyBatchSize(int batchSize) throws Exception {
    breastCancerModelMatchesSklearn("breast_cancer_mlp.yaml", "breast_cancer_mlp.csv", batchSize);
  }

  private void breastCancerModelMatchesSklearn(String specFile, String expectedFile, int batchSize)
      throws Exception {
    ScoringSpec spec =
        ScoringSpec.load(TestData.sample("specs/" + specFile)).toBuilder()
            .batchSize(batchSize)
            .build();
    TestData.Table data = TestData.readCsv(TestData.sample("data/breast_cancer.csv"));
    TestData.Table expected = TestData.readCsv(TestData.sample("expected/" + expectedFile));
    try (BatchScorer scorer = BatchScorer.open(ScoringPlan.bind(spec, null), options())) {
      ScoreResult r = scorer.score(TestData.batch(data));
      assertEquals(569, r.rowsScored());
      Column label = r.columns().column("label");
      Column p = r.columns().column("p_benign");
      Column diagnosis = r.columns().column("diagnosis");
      Column ids = r.columns().column("id");
      for (int i = 0; i < 569; i++) {
        assertEquals((long) expected.get(i, "id"), ids.getLong(i));
        assertEquals((long) expected.get(i, "label"), label.getLong(i), "label of row " + i);
        assertEquals(expected.get(i, "p1"), p.getFloat(i), TOL, "p_benign of row " + i);
        assertEquals(label.getLong(i) == 1 ? "benign" : "malignant", diagnosis.getString(i));
      }
    }
  }

  @Test
  void forestWithZipMapMatchesSklearn() throws Exception {
    ScoringSpec spec = ScoringSpec.load(TestData.sample("specs/wine_forest.yaml"));
    TestData.Table data = TestData.readCsv(TestData.sample("data/wine.csv"));
    TestData.Table expected = TestData.readCsv(TestData.sample("expected/wine_forest.csv"));
    try (BatchScorer scorer = BatchScorer.open(ScoringPlan.bind(spec, null), options())) {
      ScoreResult r = scorer.score(TestData.batch(data));
      Column probs = r.columns().column("probabilities");
      Column label = r.columns().column("label");
      Column top2 = r.columns().column("top2");
      Column top2Scores = r.columns().column("top2_scores");
      assertEquals("map<int64,float>", probs.type().toString());
      for (int i = 0; i < data.rows().length; i++) {
        @SuppressWarnings("unchecked")
        Map<Object, Object> m = (Map<Object, Object>) probs.get(i);
        assertEquals(3, m.size());
        for (int c = 0; c < 3; c++) {
          assertEquals(expected.get(i, "p" + c), ((Float) m.get((long) c)), TOL, "row " + i);
        }
        long best = (long) expected.get(i, "label");
        assertEquals(best, label.getLong(i));
        assertEquals("class_" + best, (top2.elements()).getString(2 * i));
        float s0 = (top2Scores.elements()).getFloat(2 * i);
        float s1 = (top2Scores.elements()).getFloat(2 * i + 1);
        assertEquals(expected.get(i, "p" + best), s0, TOL);
        assertEquals(true, s0 >= s1);
      }
    }
  }

  @Test
  void mlpFromPixelColumnsMatchesSklearn() throws Exception {
    ScoringSpec spec = ScoringSpec.load(TestData.sample("specs/fashion_mlp.yaml"));
    TestData.Table data = TestData.readCsv(TestData.sample("data/fashion_mnist_1k.csv"));
    try (BatchScorer scorer = BatchScorer.open(ScoringPlan.bind(spec, null), options())) {
      assertMlpMatches(scorer.score(TestData.batch(data)));
    }
  }

  @Test
  void mlpFromOneArrayColumnReshapedMatchesSklearn() throws Exception {
    TestData.Table data = TestData.readCsv(TestData.sample("data/fashion_mnist_1k.csv"));
    int n = data.rows().length;
    float[] flat = new float[n * 784];
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = (long) data.get(i, "id");
      for (int p = 0; p < 784; p++) {
        flat[i * 784 + p] = (float) data.rows()[i][data.col("px" + p)];
      }
    }
    ColumnBatch batch =
        ColumnBatch.builder(n)
            .add("id", Column.ofLongs(ids))
            .add("pixels", Column.ofArrays(Column.ofFloats(flat), 784, n))
            .build();
    ScoringSpec spec =
        ScoringSpec.load(TestData.sample("specs/fashion_mlp.yaml")).toBuilder()
            .clearInputs()
            .input(InputBinding.ofColumn("image", "pixels").withShape(1, 28, 28))
            .build();
    try (BatchScorer scorer =
        BatchScorer.open(
            ScoringPlan.bind(spec, batch.schema()), ScorerOptions.builder().cache(cache).build())) {
      assertMlpMatches(scorer.score(batch));
    }
  }

  private static void assertMlpMatches(ScoreResult r) {
    TestData.Table expected = TestData.readCsv(TestData.sample("expected/fashion_mlp.csv"));
    Column probs = r.columns().column("probabilities");
    Column item = r.columns().column("item");
    String[] names = {
      "t_shirt_top", "trouser", "pullover", "dress", "coat",
      "sandal", "shirt", "sneaker", "bag", "ankle_boot"
    };
    assertEquals(1000, r.rowsScored());
    assertEquals(10, probs.type().width());
    float[] p = (probs.elements()).floats();
    for (int i = 0; i < 1000; i++) {
      for (int c = 0; c < 10; c++) {
        assertEquals(expected.get(i, "p" + c), p[i * 10 + c], TOL, "row " + i + " class " + c);
      }
      assertEquals(names[(int) expected.get(i, "label")], item.get(i), "row " + i);
    }
  }
}
