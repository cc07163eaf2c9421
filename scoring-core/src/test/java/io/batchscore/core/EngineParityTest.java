package io.batchscore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.spec.EngineKind;
import io.batchscore.core.spec.ScoringSpec;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The same spec on ONNX Runtime and on DJL's ONNX Runtime engine gives the same predictions, ZipMap
 * outputs included (DJL scores a copy of such a model without ZipMap: ZipMapFreeTest).
 */
class EngineParityTest {
  private final ScorerOptions opts = ScorerOptions.builder().cache(new ModelCache(8)).build();

  private ScoreResult score(ScoringSpec spec, ColumnBatch batch) throws Exception {
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(spec, null), opts)) {
      assertTrue(
          s.engineDescription()
              .startsWith(spec.engine() == EngineKind.DJL ? "djl" : "onnxruntime"));
      return s.score(batch);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "breast_cancer.yaml, breast_cancer.csv",
    "breast_cancer_mlp.yaml, breast_cancer.csv",
    "fashion_mlp.yaml, fashion_mnist_1k.csv",
    "wine_forest.yaml, wine.csv"
  })
  void everySampleModelScoresTheSameOnBothEngines(String specFile, String data) throws Exception {
    ScoringSpec spec = ScoringSpec.load(TestData.sample("specs/" + specFile));
    ColumnBatch batch = TestData.batch(TestData.readCsv(TestData.sample("data/" + data)));
    ScoreResult ort = score(spec, batch);
    ScoreResult djl = score(spec.toBuilder().engine(EngineKind.DJL).build(), batch);
    assertEquals(ort.rowsScored(), djl.rowsScored());
    for (String name : ort.columns().names()) {
      Column a = ort.columns().column(name);
      Column b = djl.columns().column(name);
      for (int i = 0; i < ort.rowsScored(); i++) {
        Object x = a.get(i);
        Object y = b.get(i);
        if (x instanceof java.util.Map<?, ?> mx) {
          java.util.Map<?, ?> my = (java.util.Map<?, ?>) y;
          assertEquals(mx.keySet(), my.keySet(), name + " row " + i);
          for (Object k : mx.keySet()) {
            assertClose(mx.get(k), my.get(k), name + " row " + i + " class " + k);
          }
        } else if (x instanceof List<?> lx) {
          List<?> ly = (List<?>) y;
          for (int j = 0; j < lx.size(); j++) {
            assertClose(lx.get(j), ly.get(j), name + " row " + i);
          }
        } else {
          assertClose(x, y, name + " row " + i);
        }
      }
    }
  }

  private static void assertClose(Object x, Object y, String where) {
    if (x instanceof Float fx) {
      assertEquals(fx, (Float) y, 1e-6, where);
    } else {
      assertEquals(x, y, where);
    }
  }
}
