package io.batchscore.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.model.ModelInfo;
import io.batchscore.core.model.ModelSource;
import io.batchscore.core.model.ValueInfo;
import io.batchscore.core.spec.InputBinding;
import io.batchscore.core.spec.OutputBinding;
import io.batchscore.core.spec.ScoringSpec;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Element types in and out, several named inputs, dynamic dimensions, external weights. */
class ElementTypesAndShapesTest {
  private final ScorerOptions opts = ScorerOptions.builder().cache(new ModelCache(4)).build();

  @Test
  void anOutputOfOneValuePerRowDeclaredNBy1IsAScalarColumnUnlessKeptAsAnArray() throws Exception {
    ScoringSpec.Builder b =
        ScoringSpec.builder()
            .model(TestData.fixture("regressor.onnx"))
            .input(InputBinding.ofColumns("x", List.of("a", "b", "c")));
    ColumnBatch batch =
        ColumnBatch.builder(2)
            .add("a", Column.ofFloats(1f, 0f))
            .add("b", Column.ofFloats(1f, 2f))
            .add("c", Column.ofFloats(1f, 0.5f))
            .build();
    ScoringSpec scalar = b.output(OutputBinding.of("y", "y")).build();
    ScoringPlan plan = ScoringPlan.bind(scalar, batch.schema());
    assertEquals("float", plan.outputColumns().get(0).type().toString(), "[N,1] -> one value");
    try (BatchScorer s = BatchScorer.open(plan, opts)) {
      Column y = s.score(batch).columns().column("y");
      assertArrayEquals(new float[] {3.75f, 3.25f}, y.floats());
    }
    ScoringSpec kept =
        ScoringSpec.parse(
            scalar
                .toJson()
                .replace(
                    "\"transform\" : \"none\"", "\"transform\" : \"none\", \"keepShape\" : true"),
            "kept.json",
            null);
    assertTrue(kept.outputs().get(0).keepShape(), kept.toJson());
    ScoringPlan keptPlan = ScoringPlan.bind(kept, batch.schema());
    assertEquals("array<float>[1]", keptPlan.outputColumns().get(0).type().toString());
    try (BatchScorer s = BatchScorer.open(keptPlan, opts)) {
      Column y = s.score(batch).columns().column("y");
      assertArrayEquals(new float[] {3.75f, 3.25f}, y.elements().floats());
    }
  }

  @Test
  void everyElementTypeGoesInAndComesBackFromItsOwnNamedInput() throws Exception {
    ScoringSpec spec =
        ScoringSpec.builder()
            .model(TestData.fixture("types.onnx"))
            .batchSize(2)
            .input(InputBinding.ofColumns("f", List.of("f1", "f2")))
            .input(InputBinding.ofColumn("d", "d"))
            .input(InputBinding.ofColumn("i64", "i64"))
            .input(InputBinding.ofColumn("i32", "i32"))
            .input(InputBinding.ofColumn("b", "b"))
            .input(InputBinding.ofColumn("s", "s"))
            .output(OutputBinding.of("f_out", "f_out"))
            .output(OutputBinding.of("d_out", "d_out"))
            .output(OutputBinding.of("i64_out", "i64_out"))
            .output(OutputBinding.of("i32_out", "i32_out"))
            .output(OutputBinding.of("b_out", "b_out"))
            .output(OutputBinding.of("s_out", "s_out"))
            .build();
    ColumnBatch batch =
        ColumnBatch.builder(3)
            .add("f1", Column.ofFloats(1f, 2f, 3f))
            .add("f2", Column.ofDoubles(10, 20, 30)) // double column into a float input
            .add("d", Column.ofDoubles(0.5, 1.5, 2.5))
            .add("i64", Column.ofInts(1, 2, 3)) // int32 column into an int64 input
            .add("i32", Column.ofLongs(7L, 8L, 9L)) // int64 column into an int32 input
            .add("b", Column.ofBooleans(true, false, true))
            .add("s", Column.ofStrings("a", "é", ""))
            .build();
    try (BatchScorer s =
        BatchScorer.open(
            ScoringPlan.bind(spec, batch.schema()),
            ScorerOptions.builder().cache(new ModelCache(2)).build())) {
      ScoreResult r = s.score(batch);
      Column f = r.columns().column("f_out");
      assertEquals("array<float>[2]", f.type().toString());
      assertArrayEquals(new float[] {2, 20, 4, 40, 6, 60}, (f.elements()).floats());
      assertArrayEquals(new double[] {1.5, 2.5, 3.5}, (r.columns().column("d_out")).doubles());
      assertArrayEquals(new long[] {3, 6, 9}, (r.columns().column("i64_out")).longs());
      assertArrayEquals(new int[] {8, 9, 10}, (r.columns().column("i32_out")).ints());
      assertArrayEquals(
          new boolean[] {false, true, false}, (r.columns().column("b_out")).booleans());
      assertArrayEquals(new String[] {"a", "é", ""}, (r.columns().column("s_out")).strings());
    }
  }

  @Test
  void int64ValueOutOfInt32RangeIsNamed() throws Exception {
    ScoringSpec spec =
        ScoringSpec.builder()
            .model(TestData.fixture("types.onnx"))
            .input(InputBinding.ofColumns("f", List.of("f1", "f1")))
            .input(InputBinding.ofColumn("d", "d"))
            .input(InputBinding.ofColumn("i64", "i"))
            .input(InputBinding.ofColumn("i32", "i"))
            .input(InputBinding.ofColumn("b", "b"))
            .input(InputBinding.ofColumn("s", "s"))
            .output(OutputBinding.of("i32_out", "o"))
            .build();
    ColumnBatch batch =
        ColumnBatch.builder(2)
            .add("f1", Column.ofFloats(1f, 2f))
            .add("d", Column.ofDoubles(1, 2))
            .add("i", Column.ofLongs(1L, 1L << 40))
            .add("b", Column.ofBooleans(true, true))
            .add("s", Column.ofStrings("a", "b"))
            .build();
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(spec, null), opts)) {
      BadInputException e = assertThrows(BadInputException.class, () -> s.score(batch));
      assertTrue(
          e.getMessage().contains("out of range for model input 'i32' (int32)"), e.getMessage());
      assertEquals(1, e.row());
    }
  }

  @Test
  void dynamicDimensionsTakeTheirSizeFromEachBatch() throws Exception {
    ScoringSpec spec =
        ScoringSpec.builder()
            .model(TestData.fixture("seqsum.onnx"))
            .batchSize(2)
            .input(InputBinding.ofColumn("x", "seq"))
            .output(OutputBinding.of("total", "total"))
            .build();
    // Rows 0-1 have length 3, rows 2-3 length 1: equal within each chunk of 2.
    int[] offsets = {0, 3, 6, 7, 8};
    ColumnBatch batch =
        ColumnBatch.builder(4)
            .add("seq", Column.ofArrays(offsets, Column.ofFloats(1, 2, 3, 4, 5, 6, 7, 8), null, 4))
            .build();
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(spec, null), opts)) {
      ScoreResult r = s.score(batch);
      assertArrayEquals(new float[] {6, 15, 7, 8}, (r.columns().column("total")).floats());
    }
  }

  @Test
  void modelWithExternalWeightsBesideItLoadsAndScores() throws Exception {
    assertTrue(Files.exists(TestData.fixture("external.bin")));
    ScoringSpec spec =
        ScoringSpec.builder()
            .model(TestData.fixture("external.onnx"))
            .input(InputBinding.ofColumn("x", "x"))
            .output(OutputBinding.of("y", "y"))
            .build();
    ColumnBatch batch =
        ColumnBatch.builder(1).add("x", Column.ofArrays(Column.ofFloats(1, 0, 0, 1), 4, 1)).build();
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(spec, null), opts)) {
      Column y = s.score(batch).columns().column("y");
      // W = arange(12)/10 as 4x3; x = [1,0,0,1] picks rows 0 and 3: [0+0.9, 0.1+1.0, 0.2+1.1]
      float[] v = (y.elements()).floats();
      assertEquals(0.9f, v[0], 1e-6);
      assertEquals(1.1f, v[1], 1e-6);
      assertEquals(1.3f, v[2], 1e-6);
    }
  }

  @Test
  void inspectionShowsNamesTypesSymbolicShapesAndMetadata() throws Exception {
    ModelInfo info = Models.inspect(TestData.sample("models/wine_forest.onnx"));
    assertEquals(64, info.sha256().length());
    ValueInfo in = info.signature().input("float_input");
    assertEquals("float[N,13]", in.typeString());
    assertEquals("N", in.dimensionNames()[0]);
    assertEquals(-1, in.dim(0));
    assertEquals(
        "seq(map(int64,float))", info.signature().output("output_probability").typeString());
    assertEquals("int64[N]", info.signature().output("output_label").typeString());
    assertEquals("batchscore sample-data/generate.py", info.signature().metadata().producerName());
    assertEquals("wine_forest", info.signature().metadata().graphName());
    assertEquals(1, info.signature().metadata().version());
    assertEquals("class_0,class_1,class_2", info.signature().metadata().custom().get("classes"));
  }

  @Test
  void modelFromBytesHasTheSameChecksumAsTheFile() throws Exception {
    byte[] bytes = Files.readAllBytes(TestData.sample("models/breast_cancer_logreg.onnx"));
    ModelInfo fromFile = Models.inspect(TestData.sample("models/breast_cancer_logreg.onnx"));
    ModelInfo fromBytes = Models.inspect(ModelSource.of(bytes, "in-memory"));
    assertEquals(fromFile.sha256(), fromBytes.sha256());
    assertEquals(fromFile.signature().inputs(), fromBytes.signature().inputs());
    ScoringSpec spec = ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml"));
    try (BatchScorer s =
        BatchScorer.open(
            ScoringPlan.bind(spec, Models.inspect(ModelSource.of(bytes, "in-memory")), null),
            ModelSource.of(bytes, "in-memory"),
            opts)) {
      assertEquals(
          569,
          s.score(TestData.batch(TestData.readCsv(TestData.sample("data/breast_cancer.csv"))))
              .rowsScored());
    }
  }
}
