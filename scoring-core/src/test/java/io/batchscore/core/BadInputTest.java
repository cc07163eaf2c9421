package io.batchscore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.ColumnType;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.column.InputSchema;
import io.batchscore.core.model.ModelLoadException;
import io.batchscore.core.spec.InputBinding;
import io.batchscore.core.spec.NullPolicy;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.core.spec.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad input gets an error naming what is wrong, and what was expected. */
class BadInputTest {
  private final ModelCache cache = new ModelCache(4);

  private ScoringSpec breastCancer() throws SpecException {
    return ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml"));
  }

  private ColumnBatch breastCancerBatch() {
    return TestData.batch(TestData.readCsv(TestData.sample("data/breast_cancer.csv")));
  }

  private ScorerOptions opts() {
    return ScorerOptions.builder().cache(cache).build();
  }

  /** The breast cancer batch with one column replaced. */
  private ColumnBatch replace(ColumnBatch b, String name, io.batchscore.core.column.Column c) {
    ColumnBatch.Builder out = ColumnBatch.builder(b.rowCount());
    b.columns().forEach((n, col) -> out.add(n, n.equals(name) ? c : col));
    return out.build();
  }

  @Test
  void unknownColumnIsNamedWithASuggestion() throws Exception {
    InputSchema.Builder s = InputSchema.builder();
    breastCancerBatch()
        .schema()
        .columns()
        .forEach((n, t) -> s.add(n.equals("mean_radius") ? "mean_radus" : n, t));
    SpecException e =
        assertThrows(
            SpecException.class,
            () -> BatchScorer.open(ScoringPlan.bind(breastCancer(), s.build()), opts()));
    assertTrue(
        e.getMessage()
            .contains(
                "inputs[0].columns[0]: no column 'mean_radius' in the input (did you mean 'mean_radus'?)"),
        e.getMessage());
  }

  @Test
  void wrongColumnTypeIsNamedWithTheExpectedType() throws Exception {
    InputSchema.Builder s = InputSchema.builder();
    breastCancerBatch()
        .schema()
        .columns()
        .forEach(
            (n, t) -> s.add(n, n.equals("mean_area") ? ColumnType.scalar(ElementType.STRING) : t));
    SpecException e =
        assertThrows(
            SpecException.class,
            () -> BatchScorer.open(ScoringPlan.bind(breastCancer(), s.build()), opts()));
    assertTrue(
        e.getMessage()
            .contains("column 'mean_area' is string but model input 'float_input' expects float"),
        e.getMessage());
  }

  @Test
  void wrongTypeAtRunTimeIsNamed() throws Exception {
    ColumnBatch b = breastCancerBatch();
    String[] text = new String[b.rowCount()];
    java.util.Arrays.fill(text, "1.0");
    ColumnBatch bad = replace(b, "mean_area", Column.ofStrings(text));
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(breastCancer(), null), opts())) {
      BadInputException e = assertThrows(BadInputException.class, () -> s.score(bad));
      assertEquals("mean_area", e.column());
      assertEquals("float_input", e.modelInput());
    }
  }

  @Test
  void wrongArrayWidthIsCaughtBeforeDataAndAtRunTimeNamingTheRow() throws Exception {
    ScoringSpec spec =
        ScoringSpec.load(TestData.sample("specs/fashion_mlp.yaml")).toBuilder()
            .clearInputs()
            .input(InputBinding.ofColumn("image", "pixels"))
            .build();
    InputSchema narrow =
        InputSchema.builder()
            .add("id", ColumnType.scalar(ElementType.INT64))
            .add("pixels", ColumnType.array(ElementType.FLOAT, 783))
            .build();
    SpecException se =
        assertThrows(
            SpecException.class, () -> BatchScorer.open(ScoringPlan.bind(spec, narrow), opts()));
    assertTrue(
        se.getMessage()
            .contains(
                "column 'pixels' holds 783 values per row but model input 'image' float[N,1,28,28] takes 784"),
        se.getMessage());

    int[] offsets = {0, 784, 784 + 783};
    ColumnBatch ragged =
        ColumnBatch.builder(2)
            .add("id", Column.ofLongs(1L, 2L))
            .add("pixels", Column.ofArrays(offsets, Column.ofFloats(new float[784 + 783]), null, 2))
            .build();
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(spec, null), opts())) {
      BadInputException e = assertThrows(BadInputException.class, () -> s.score(ragged));
      assertEquals(1, e.row());
      assertTrue(e.getMessage().contains("column 'pixels' row 1 has 783 values"), e.getMessage());
    }
  }

  @Test
  void nullUnderFailPolicyNamesRowColumnAndInput() throws Exception {
    ColumnBatch b = breastCancerBatch();
    Column col = b.column("mean_texture");
    boolean[] nulls = new boolean[b.rowCount()];
    nulls[17] = true;
    ColumnBatch bad =
        replace(b, "mean_texture", Column.ofFloats(col.floats(), nulls, b.rowCount()));
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(breastCancer(), null), opts())) {
      BadInputException e = assertThrows(BadInputException.class, () -> s.score(bad));
      assertEquals(17, e.row());
      assertEquals("mean_texture", e.column());
      assertEquals("float_input", e.modelInput());
      assertTrue(e.getMessage().contains("row 17 is null"), e.getMessage());
    }
  }

  @Test
  void nanUnderFailPolicyNamesRowAndColumn() throws Exception {
    ColumnBatch b = breastCancerBatch();
    float[] v = (b.column("worst_area")).floats().clone();
    v[3] = Float.NaN;
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(breastCancer(), null), opts())) {
      BadInputException e =
          assertThrows(
              BadInputException.class, () -> s.score(replace(b, "worst_area", Column.ofFloats(v))));
      assertTrue(e.getMessage().contains("column 'worst_area' row 3 is NaN"), e.getMessage());
    }
  }

  @Test
  void nanInALaterBatchUnderFailPolicyNamesItsRowAfterEarlierBatchesRan() throws Exception {
    ColumnBatch b = breastCancerBatch();
    float[] v = (b.column("worst_area")).floats().clone();
    v[450] = Float.NaN;
    ScoringSpec spec = breastCancer().toBuilder().batchSize(100).build();
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(spec, null), opts())) {
      BadInputException e =
          assertThrows(
              BadInputException.class, () -> s.score(replace(b, "worst_area", Column.ofFloats(v))));
      assertTrue(e.getMessage().contains("column 'worst_area' row 450 is NaN"), e.getMessage());
      assertEquals(450, e.row());
      assertEquals(569, s.score(b).rowsScored(), "the scorer still scores clean batches");
    }
  }

  private static double[] doubles(Column c) {
    double[] d = new double[c.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = c.getFloat(i);
    }
    return d;
  }

  @Test
  void nanInADoubleColumnIsFoundAsItIsConvertedToFloat() throws Exception {
    ColumnBatch b = breastCancerBatch();
    double[] d = doubles(b.column("mean_area"));
    d[321] = Double.NaN;
    ScoringSpec spec = breastCancer().toBuilder().batchSize(64).build();
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(spec, null), opts())) {
      BadInputException e =
          assertThrows(
              BadInputException.class,
              () ->
                  s.score(replace(b, "mean_area", io.batchscore.core.column.Column.ofDoubles(d))));
      assertTrue(e.getMessage().contains("column 'mean_area' row 321 is NaN"), e.getMessage());
    }
  }

  @Test
  void anInfiniteFeatureIsBadInputNamingRowAndColumnAsNaNIs() throws Exception {
    ColumnBatch b = breastCancerBatch();
    float[] v = (b.column("worst_area")).floats().clone();
    v[7] = Float.POSITIVE_INFINITY;
    v[500] = Float.NEGATIVE_INFINITY;
    ColumnBatch bad = replace(b, "worst_area", Column.ofFloats(v));
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(breastCancer(), null), opts())) {
      BadInputException e = assertThrows(BadInputException.class, () -> s.score(bad));
      assertTrue(e.getMessage().contains("column 'worst_area' row 7 is infinite"), e.getMessage());
    }
    ScoringSpec skip = breastCancer().toBuilder().nullPolicy(NullPolicy.SKIP).batchSize(64).build();
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(skip, null), opts())) {
      ScoreResult r = s.score(bad);
      assertEquals(567, r.rowsScored());
      assertEquals(List.of(7, 500), r.rejections().stream().map(RowRejection::row).toList());
      assertEquals("infinite", r.rejections().get(0).reason());
    }
    ScoringSpec fill =
        breastCancer().toBuilder().nullPolicy(NullPolicy.FILL).fillValue(0.0).build();
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(fill, null), opts())) {
      ScoreResult r = s.score(bad);
      assertEquals(569, r.rowsScored());
      float p = (r.columns().column("p_benign")).getFloat(7);
      assertTrue(p >= 0 && p <= 1, "a filled row gets a probability, not NaN: " + p);
    }
    int rows = 20;
    float[] px = new float[rows * 784];
    px[13 * 784 + 5] = Float.POSITIVE_INFINITY;
    ColumnBatch pixels =
        ColumnBatch.builder(rows)
            .add("pixels", Column.ofArrays(Column.ofFloats(px), 784, rows))
            .add("id", Column.ofLongs(new long[rows]))
            .build();
    try (BatchScorer s =
        BatchScorer.open(
            ScoringPlan.bind(
                ScoringSpec.load(TestData.sample("specs/fashion_mlp_pixels.yaml")), null),
            opts())) {
      BadInputException e = assertThrows(BadInputException.class, () -> s.score(pixels));
      assertTrue(
          e.getMessage().contains("column 'pixels' row 13 element 5 is infinite"), e.getMessage());
    }
  }

  @Test
  void aDoubleBeyondTheRangeOfAFloatInputIsBadInputNotAnInfinity() throws Exception {
    ColumnBatch b = breastCancerBatch();
    double[] d = doubles(b.column("mean_area"));
    d[9] = 1e300;
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(breastCancer(), null), opts())) {
      BadInputException e =
          assertThrows(
              BadInputException.class,
              () ->
                  s.score(replace(b, "mean_area", io.batchscore.core.column.Column.ofDoubles(d))));
      assertTrue(
          e.getMessage()
              .contains(
                  "column 'mean_area' row 9 is beyond the range of the model's float input (1.0E300)"),
          e.getMessage());
    }
  }

  @Test
  void nanInALaterBatchOfAnArrayFeatureIsNamed() throws Exception {
    int rows = 40;
    float[] px = new float[rows * 784];
    px[37 * 784 + 100] = Float.NaN;
    ColumnBatch b =
        ColumnBatch.builder(rows)
            .add("pixels", Column.ofArrays(Column.ofFloats(px), 784, rows))
            .add("id", Column.ofLongs(new long[rows]))
            .build();
    ScoringSpec spec =
        ScoringSpec.load(TestData.sample("specs/fashion_mlp_pixels.yaml")).toBuilder()
            .batchSize(8)
            .build();
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(spec, null), opts())) {
      BadInputException e = assertThrows(BadInputException.class, () -> s.score(b));
      assertTrue(
          e.getMessage().contains("column 'pixels' row 37 element 100 is NaN"), e.getMessage());
    }
  }

  @Test
  void nanInTheLastElementOfAnArrayFeatureIsFoundAndNamed() throws Exception {
    int rows = 5;
    float[] px = new float[rows * 784];
    px[rows * 784 - 1] = Float.NaN;
    ColumnBatch b =
        ColumnBatch.builder(rows)
            .add("pixels", Column.ofArrays(Column.ofFloats(px), 784, rows))
            .add("id", Column.ofLongs(new long[rows]))
            .build();
    try (BatchScorer s =
        BatchScorer.open(
            ScoringPlan.bind(
                ScoringSpec.load(TestData.sample("specs/fashion_mlp_pixels.yaml")), null),
            opts())) {
      BadInputException e = assertThrows(BadInputException.class, () -> s.score(b));
      assertTrue(
          e.getMessage().contains("column 'pixels' row 4 element 783 is NaN"), e.getMessage());
    }
  }

  @Test
  void nullAndNanUnderSkipPolicyLeaveRowsOutAndReportThem() throws Exception {
    ColumnBatch b = breastCancerBatch();
    float[] v = (b.column("worst_area")).floats().clone();
    v[3] = Float.NaN;
    boolean[] nulls = new boolean[b.rowCount()];
    nulls[10] = true;
    nulls[3] = true; // same row, second reason: reported once
    float[] t = (b.column("mean_texture")).floats();
    ColumnBatch bad =
        replace(
            replace(b, "worst_area", Column.ofFloats(v)),
            "mean_texture",
            Column.ofFloats(t, nulls, b.rowCount()));
    ScoringSpec spec = breastCancer().toBuilder().nullPolicy(NullPolicy.SKIP).build();
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(spec, null), opts())) {
      ScoreResult r = s.score(bad);
      assertEquals(569, r.rowsIn());
      assertEquals(567, r.rowsScored());
      assertEquals(2, r.rejections().size());
      assertEquals(4, r.inputRow(3), "output row 3 is input row 4");
      assertEquals(4L, (r.columns().column("id")).getLong(3), "passthrough follows the kept rows");
      ScoreResult clean = s.score(b);
      assertEquals(
          (clean.columns().column("p_benign")).getFloat(11),
          (r.columns().column("p_benign")).getFloat(9));
      assertEquals(3, r.rejections().get(0).row());
      assertEquals("mean_texture", r.rejections().get(0).column());
      assertEquals("null", r.rejections().get(0).reason());
      assertEquals(10, r.rejections().get(1).row(), "rejections are in row order, one per row");
    }
  }

  @Test
  void nanUnderSkipInALaterBatchLeavesOnlyItsRowOutAndLaterBatchesStillScore() throws Exception {
    ColumnBatch b = breastCancerBatch();
    float[] v = (b.column("worst_area")).floats().clone();
    v[300] = Float.NaN;
    ScoringSpec spec = breastCancer().toBuilder().nullPolicy(NullPolicy.SKIP).batchSize(50).build();
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(spec, null), opts())) {
      ScoreResult clean = s.score(b);
      ScoreResult r = s.score(replace(b, "worst_area", Column.ofFloats(v)));
      assertEquals(568, r.rowsScored());
      assertEquals(1, r.rejections().size());
      assertEquals(300, r.rejections().get(0).row());
      assertEquals("NaN", r.rejections().get(0).reason());
      Column p = r.columns().column("p_benign");
      Column pc = clean.columns().column("p_benign");
      for (int out = 0; out < 568; out++) {
        int in = r.inputRow(out);
        assertEquals(pc.getFloat(in), p.getFloat(out), "row " + in);
      }
      ScoreResult again = s.score(b);
      assertEquals(569, again.rowsScored(), "a clean batch after one with NaN loses no row");
      assertEquals(pc.getFloat(568), (again.columns().column("p_benign")).getFloat(568));
    }
  }

  @Test
  void nullAndNanUnderFillPolicyScoreWithTheFillValue() throws Exception {
    ColumnBatch b = breastCancerBatch();
    float[] v = (b.column("worst_area")).floats().clone();
    v[3] = Float.NaN;
    boolean[] nulls = new boolean[b.rowCount()];
    nulls[10] = true;
    ColumnBatch bad = replace(b, "worst_area", Column.ofFloats(v, nulls, b.rowCount()));
    float[] filled = (b.column("worst_area")).floats().clone();
    filled[3] = 500f;
    filled[10] = 500f;
    ColumnBatch expectedBatch = replace(b, "worst_area", Column.ofFloats(filled));
    ScoringSpec spec =
        breastCancer().toBuilder().nullPolicy(NullPolicy.FILL).fillValue(500).batchSize(7).build();
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(spec, null), opts())) {
      ScoreResult r = s.score(bad);
      ScoreResult expected = s.score(expectedBatch);
      assertEquals(569, r.rowsScored());
      for (int row : new int[] {3, 10, 11}) {
        assertEquals(
            (expected.columns().column("p_benign")).getFloat(row),
            (r.columns().column("p_benign")).getFloat(row));
      }
    }
  }

  @Test
  void missingModelIsNamed() throws Exception {
    ScoringSpec spec = breastCancer().toBuilder().model("/nonexistent/model.onnx").build();
    ModelLoadException e =
        assertThrows(
            ModelLoadException.class, () -> BatchScorer.open(ScoringPlan.bind(spec, null), opts()));
    assertEquals("/nonexistent/model.onnx: model file not found", e.getMessage());
  }

  @Test
  void corruptModelFileIsNamedWithTheReason(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("corrupt.onnx");
    byte[] real = Files.readAllBytes(TestData.sample("models/breast_cancer_logreg.onnx"));
    Files.write(bad, java.util.Arrays.copyOf(real, real.length / 2));
    ScoringSpec spec = breastCancer().toBuilder().model(bad.toString()).build();
    ModelLoadException e =
        assertThrows(
            ModelLoadException.class, () -> BatchScorer.open(ScoringPlan.bind(spec, null), opts()));
    assertTrue(
        e.getMessage().startsWith(bad + ": not a valid ONNX model: truncated or corrupt ("),
        e.getMessage());
    assertTrue(e.getCause() != null);
  }

  @Test
  void aBatchSizeBeyondWhatMemoryHoldsIsASpecErrorWhenTheScorerOpens() throws Exception {
    ScoringSpec spec = breastCancer().toBuilder().batchSize(1_000_000_000).build();
    SpecException e =
        assertThrows(
            SpecException.class, () -> BatchScorer.open(ScoringPlan.bind(spec, null), opts()));
    assertTrue(
        e.getMessage().contains("batchSize: 1,000,000,000 rows a batch need about"),
        e.getMessage());
    assertTrue(e.getMessage().contains("float_input: 30 values"), e.getMessage());
    assertTrue(e.getMessage().contains("at most"), e.getMessage());
    try (BatchScorer s =
        BatchScorer.open(
            ScoringPlan.bind(breastCancer().toBuilder().batchSize(100_000).build(), null),
            opts())) {
      assertEquals(
          569, s.score(breastCancerBatch()).rowsScored(), "a large batch that fits is fine");
    }
  }

  @Test
  void checksumMismatchIsRefused() throws Exception {
    ScoringSpec spec = breastCancer().toBuilder().modelSha256("00".repeat(32)).build();
    ModelLoadException e =
        assertThrows(
            ModelLoadException.class, () -> BatchScorer.open(ScoringPlan.bind(spec, null), opts()));
    assertTrue(e.getMessage().contains("but the spec expects 0000"), e.getMessage());
  }

  @Test
  void specNamingAnInputTheModelLacksListsEveryProblemAtOnce() throws Exception {
    ScoringSpec spec =
        breastCancer().toBuilder()
            .clearInputs()
            .input(InputBinding.ofColumns("float_inputs", java.util.List.of("mean_radius")))
            .output(io.batchscore.core.spec.OutputBinding.of("probs", "p2"))
            .build();
    SpecException e =
        assertThrows(
            SpecException.class, () -> BatchScorer.open(ScoringPlan.bind(spec, null), opts()));
    assertEquals(3, e.problems().size(), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains(
                "inputs[0].input: the model has no input 'float_inputs' (did you mean 'float_input'?)"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("model input 'float_input' (float[N,30]) has no binding"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("outputs[3].output: the model has no output 'probs'"),
        e.getMessage());
  }

  @Test
  void singleRowScoringWrapsTheBatchPath() throws Exception {
    ColumnBatch b = breastCancerBatch();
    Map<String, Object> row = new LinkedHashMap<>();
    b.columns().forEach((n, c) -> row.put(n, c.get(42)));
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(breastCancer(), null), opts())) {
      Map<String, Object> out = s.scoreRow(row);
      ScoreResult all = s.score(b);
      assertEquals(all.columns().column("p_benign").get(42), out.get("p_benign"));
      assertEquals(42L, out.get("id"));
      assertNull(out.get("nonexistent"));
    }
  }
}
