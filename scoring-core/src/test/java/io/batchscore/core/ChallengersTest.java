package io.batchscore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.monitor.ModelComparison;
import io.batchscore.core.spec.Challenger;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.core.spec.SpecException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several models in one pass: a champion with shadow and canary challengers. */
class ChallengersTest {
  @TempDir Path tmp;

  private static final String CHAMPION = champion();

  /** The sample's logistic regression as the champion, its label and score only. */
  private static String champion() {
    try {
      List<String> features =
          ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml")).featureColumns();
      return "name: logreg\n"
          + "version: \"7\"\n"
          + "model: ../models/breast_cancer_logreg.onnx\n"
          + "batchSize: 64\n"
          + "inputs:\n"
          + "  - input: float_input\n"
          + "    columns: ["
          + String.join(", ", features)
          + "]\n"
          + "outputs:\n"
          + "  - {output: output_label, column: label}\n"
          + "  - {output: output_probability, column: p_benign, transform: positive_class,"
          + " positiveClass: 1}\n"
          + "passthrough: [id]\n";
    } catch (SpecException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ScoringSpec spec(String challengers) throws SpecException {
    return ScoringSpec.parse(CHAMPION + challengers, "challengers.yaml", TestData.sample("specs"));
  }

  private static ColumnBatch sample() {
    return TestData.batch(TestData.readCsv(TestData.sample("data/breast_cancer.csv")));
  }

  private static ScoreResult score(ScoringSpec spec, boolean profile) throws Exception {
    ColumnBatch batch = sample();
    ScoringPlan plan = ScoringPlan.bind(spec, batch.schema());
    try (BatchScorer s = BatchScorer.open(plan, ScorerOptions.builder().profile(profile).build())) {
      return s.score(batch);
    }
  }

  @Test
  void aShadowWritesItsColumnsUnderItsPrefixAndLeavesTheChampionsUnchanged() throws Exception {
    ScoreResult alone = score(spec(""), false);
    ScoreResult both =
        score(
            spec(
                "challengers:\n"
                    + "  - {name: mlp, mode: shadow, model: ../models/breast_cancer_mlp.onnx}\n"),
            false);
    assertEquals(
        List.of("id", "label", "p_benign", "mlp_label", "mlp_p_benign"),
        List.copyOf(both.columns().names()));
    for (String c : List.of("id", "label", "p_benign")) {
      for (int i = 0; i < alone.rowsScored(); i++) {
        assertEquals(alone.columns().column(c).get(i), both.columns().column(c).get(i), c);
      }
    }
    // the shadow's columns are the MLP's own predictions
    ScoringSpec mlp = ScoringSpec.load(TestData.sample("specs/breast_cancer_mlp.yaml"));
    ScoreResult own = score(mlp, false);
    for (int i = 0; i < own.rowsScored(); i++) {
      assertEquals(
          own.columns().column("p_benign").getFloat(i),
          both.columns().column("mlp_p_benign").getFloat(i));
      assertEquals(
          own.columns().column("label").getLong(i), both.columns().column("mlp_label").getLong(i));
    }
  }

  @Test
  void aCanaryServesItsShareOfKeysTheSameWayEveryRun() throws Exception {
    ScoringSpec s =
        spec(
            "challengers:\n"
                + "  - {name: mlp, mode: canary, share: 0.25, key: id,"
                + " model: ../models/breast_cancer_mlp.onnx}\n");
    ScoreResult a = score(s, false);
    ScoreResult b = score(s, false);
    ScoreResult champion = score(spec(""), false);
    ScoreResult mlp =
        score(ScoringSpec.load(TestData.sample("specs/breast_cancer_mlp.yaml")), false);
    Column by = a.columns().column(Challenger.SERVED_BY);
    assertNotNull(by);
    int served = 0;
    for (int i = 0; i < a.rowsScored(); i++) {
      assertEquals(by.getString(i), b.columns().column(Challenger.SERVED_BY).getString(i));
      boolean canary = by.getString(i).equals("mlp");
      long id = a.columns().column("id").getLong(i);
      assertEquals(canary, CanaryRouter.point(id) < 0.25, "row " + i + " by its key's hash");
      ScoreResult from = canary ? mlp : champion;
      assertEquals(
          from.columns().column("p_benign").getFloat(i),
          a.columns().column("p_benign").getFloat(i));
      served += canary ? 1 : 0;
      if (!canary) {
        assertEquals("logreg", by.getString(i));
      }
    }
    double share = (double) served / a.rowsScored();
    assertTrue(share > 0.18 && share < 0.32, "served share " + share + " of 569 rows");
  }

  @Test
  void eachDistinctBindingIsAssembledOnceAndEveryModelScoresAsAlone() throws Exception {
    // The sample's features (a NaN filled in row 5), and the same values as one array column. One
    // challenger reads the champion's columns (fed copies of the champion's tensor); two read the
    // array column (its tensor assembled once, for the first, and copied to the second). Each must
    // score exactly as the model does alone, on two lanes and in chunks of 64 rows.
    ColumnBatch sample = sample();
    List<String> features =
        ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml")).featureColumns();
    int n = sample.rowCount();
    ColumnBatch.Builder b = ColumnBatch.builder(n);
    float[] flat = new float[n * features.size()];
    for (Map.Entry<String, Column> e : sample.columns().entrySet()) {
      Column c = e.getValue();
      int j = features.indexOf(e.getKey());
      if (j >= 0) {
        float[] v = c.floats().clone();
        if (j == 3) {
          v[5] = Float.NaN;
        }
        for (int i = 0; i < n; i++) {
          flat[i * features.size() + j] = v[i];
        }
        c = Column.ofFloats(v);
      }
      b.add(e.getKey(), c);
    }
    b.add("features", Column.ofArrays(Column.ofFloats(flat), features.size(), n));
    ColumnBatch batch = b.build();
    String fill = "nulls: {policy: fill, fill: 0}\n";
    ScoringSpec both =
        ScoringSpec.parse(
            CHAMPION
                + fill
                + "challengers:\n"
                + "  - {name: same, mode: shadow, model: ../models/breast_cancer_mlp.onnx}\n"
                + "  - {name: own, mode: shadow, model: ../models/breast_cancer_mlp.onnx,"
                + " inputs: [{input: float_input, column: features}]}\n"
                + "  - {name: again, mode: shadow, model: ../models/breast_cancer_mlp.onnx,"
                + " inputs: [{input: float_input, column: features}]}\n",
            "challengers.yaml",
            TestData.sample("specs"));
    ScoringSpec mlpAlone =
        ScoringSpec.parse(
            CHAMPION.replace("breast_cancer_logreg", "breast_cancer_mlp") + fill,
            "mlp.yaml",
            TestData.sample("specs"));
    ScorerOptions lanes = ScorerOptions.builder().cpuShare(2).concurrency(2).build();
    ScoreResult r;
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(both, batch.schema()), lanes)) {
      for (int i = 0; i < 3; i++) {
        assertTrue(s.feedsChallenger(i), "challenger " + i + " runs in the champion's chunks");
      }
      assertEquals(2, s.tensorsPerChunk(), "the 30 columns and the array column, once each");
      r = s.score(batch);
    }
    ScoreResult alone;
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(mlpAlone, batch.schema()), lanes)) {
      alone = s.score(batch);
    }
    assertEquals(n, r.rowsScored());
    for (int i = 0; i < n; i++) {
      float p = alone.columns().column("p_benign").getFloat(i);
      long label = alone.columns().column("label").getLong(i);
      for (String shadow : List.of("same_", "own_", "again_")) {
        assertEquals(p, r.columns().column(shadow + "p_benign").getFloat(i), shadow + i);
        assertEquals(label, r.columns().column(shadow + "label").getLong(i), shadow + i);
      }
    }
  }

  @Test
  void aTextChallengerScoresTheBatchItselfAndMatchesTheModelAlone() throws Exception {
    // Text models assemble their own token tensors: such a challenger is not run in the
    // champion's chunks but scores the batch after it, and must give what the model gives alone.
    Path dir = TextModels.extract(TextEmbeddingParityTest.MODEL, TextEmbeddingParityTest.TOKENIZER);
    String alone =
        TextModels.embeddingSpec(
            dir, TextEmbeddingParityTest.MODEL, TextEmbeddingParityTest.TOKENIZER, "onnxruntime");
    ScoringSpec pair =
        ScoringSpec.parse(
            alone
                + "challengers:\n  - {name: again, mode: shadow, model: "
                + dir.resolve(TextEmbeddingParityTest.MODEL)
                + "}\n",
            "pair",
            null);
    ColumnBatch batch =
        TextEmbeddingParityTest.batch(TextEmbeddingParityTest.texts().subList(0, 40));
    ScoreResult r;
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(pair, null), ScorerOptions.defaults())) {
      assertTrue(!s.feedsChallenger(0), "a text challenger tokenizes for itself");
      r = s.score(batch);
    }
    ScoreResult own;
    try (BatchScorer s =
        BatchScorer.open(
            ScoringPlan.bind(ScoringSpec.parse(alone, "alone", null), null),
            ScorerOptions.defaults())) {
      own = s.score(batch);
    }
    float[] mine = values(own.columns().column("embedding"));
    assertEquals(40, r.rowsScored());
    assertEquals(40 * 384, mine.length);
    assertTrue(
        java.util.Arrays.equals(mine, values(r.columns().column("again_embedding"))),
        "the shadow's embeddings are the model's own");
    assertTrue(java.util.Arrays.equals(mine, values(r.columns().column("embedding"))));
  }

  private static float[] values(Column array) {
    Column e = array.elements();
    return java.util.Arrays.copyOf(e.floats(), e.size());
  }

  @Test
  void aKeysBucketDoesNotDependOnHowWideItsIntegerIs() {
    assertEquals(CanaryRouter.point(42L), CanaryRouter.point(42));
    assertEquals(CanaryRouter.point(42L), CanaryRouter.point("42"));
    assertNotEquals(CanaryRouter.point(42L), CanaryRouter.point(43L));
  }

  @Test
  void theComparisonCountsAgreementAndScoreDifferencesOnEveryRow() throws Exception {
    ColumnBatch batch = sample();
    ScoringSpec s =
        spec(
            "challengers:\n"
                + "  - {name: mlp, mode: shadow, model: ../models/breast_cancer_mlp.onnx}\n"
                + "  - {name: same, mode: shadow, model: ../models/breast_cancer_logreg.onnx}\n");
    ScoringPlan plan = ScoringPlan.bind(s, batch.schema());
    ScoreResult r;
    List<ModelComparison> cmp;
    try (BatchScorer scorer =
        BatchScorer.open(plan, ScorerOptions.builder().profile(true).build())) {
      r = scorer.score(batch);
      cmp = scorer.comparisons();
      assertTrue(scorer.profile().columns().containsKey("mlp_p_benign"));
    }
    assertEquals(2, cmp.size());
    ModelComparison mlp = cmp.get(0);
    long agree = 0;
    double maxDiff = 0;
    double sumDiff = 0;
    Map<String, Map<String, Long>> confusion = new java.util.TreeMap<>();
    for (int i = 0; i < r.rowsScored(); i++) {
      long a = r.columns().column("label").getLong(i);
      long b = r.columns().column("mlp_label").getLong(i);
      agree += a == b ? 1 : 0;
      confusion
          .computeIfAbsent(Long.toString(a), k -> new java.util.TreeMap<>())
          .merge(Long.toString(b), 1L, Long::sum);
      double d =
          Math.abs(
              r.columns().column("p_benign").getFloat(i)
                  - (double) r.columns().column("mlp_p_benign").getFloat(i));
      maxDiff = Math.max(maxDiff, d);
      sumDiff += d;
    }
    assertEquals(569, mlp.rows());
    assertEquals((double) agree / 569, mlp.agreement("label"), 1e-12);
    assertEquals(confusion, mlp.confusion("label"));
    assertEquals(maxDiff, mlp.difference("p_benign").get("max"), 1e-12);
    assertEquals(sumDiff / 569, mlp.difference("p_benign").get("mean"), 1e-9);
    assertTrue(mlp.difference("p_benign").get("p99") <= maxDiff);
    assertTrue(mlp.agreement("label") < 1.0, "the MLP and the LR differ on some rows");
    // the same model as a challenger agrees everywhere and its distributions do not drift
    ModelComparison same = cmp.get(1);
    assertEquals(1.0, same.agreement("label"));
    assertEquals(0.0, same.difference("p_benign").get("max"));
    assertEquals("ok", same.drift().status().label());
    assertTrue(same.toJson().contains("\"agreement\":1.0"), same.toJson());
  }

  @Test
  void comparisonsOfTwoPartsMergeIntoTheWholes() throws Exception {
    ColumnBatch all = sample();
    ScoringSpec s =
        spec(
            "challengers:\n"
                + "  - {name: mlp, mode: shadow, model: ../models/breast_cancer_mlp.onnx}\n");
    ScoringPlan plan = ScoringPlan.bind(s, all.schema());
    ModelComparison whole;
    try (BatchScorer b = BatchScorer.open(plan, ScorerOptions.builder().profile(true).build())) {
      b.score(all);
      whole = b.comparisons().get(0);
    }
    ModelComparison merged = null;
    int[][] halves = {range(0, 300), range(300, 569)};
    for (int[] rows : halves) {
      ColumnBatch.Builder part = ColumnBatch.builder(rows.length);
      all.columns().forEach((k, v) -> part.add(k, v.select(rows, rows.length)));
      try (BatchScorer b = BatchScorer.open(plan, ScorerOptions.builder().profile(true).build())) {
        b.score(part.build());
        ModelComparison c = roundTrip(b.comparisons().get(0));
        merged = merged == null ? c : merged.merge(c);
      }
    }
    assertEquals(whole.rows(), merged.rows());
    assertEquals(whole.agreement("label"), merged.agreement("label"), 1e-12);
    assertEquals(whole.confusion("label"), merged.confusion("label"));
    assertEquals(whole.difference("p_benign").get("max"), merged.difference("p_benign").get("max"));
    assertEquals(
        whole.difference("p_benign").get("mean"), merged.difference("p_benign").get("mean"), 1e-12);
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i;
    }
    return r;
  }

  private static ModelComparison roundTrip(ModelComparison c) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(c);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (ModelComparison) in.readObject();
    }
  }

  @Test
  void specProblemsOfChallengersAreAllReportedBeforeAnyModelIsRead() {
    SpecException e =
        assertThrows(
            SpecException.class,
            () ->
                spec(
                    "challengers:\n"
                        + "  - {name: logreg, mode: shadow, model: a.onnx, prefix: ''}\n"
                        + "  - {name: c1, mode: canary, share: 1.5, model: a.onnx}\n"
                        + "  - {name: c2, mode: canary, share: 0.5, key: id, model: a.onnx,"
                        + " outputs: [{output: output_label, column: other}]}\n"
                        + "  - {name: c3, mode: sideways, model: a.onnx}\n"));
    String m = e.getMessage();
    assertTrue(m.contains("challengers[0].name"), m);
    assertTrue(m.contains("challengers[0].prefix"), m);
    assertTrue(m.contains("challengers[1].share: must be in [0, 1], got 1.5"), m);
    assertTrue(m.contains("challengers[1].key: missing"), m);
    assertTrue(m.contains("challengers[2].outputs: a canary publishes in the champion's"), m);
    assertTrue(m.contains("challengers[3].mode: 'sideways' is not one of shadow, canary"), m);
  }

  @Test
  void twoModelsWritingOneColumnIsASpecError() {
    SpecException e =
        assertThrows(
            SpecException.class,
            () ->
                spec(
                    "challengers:\n"
                        + "  - {name: a, mode: shadow, prefix: x_, model: a.onnx}\n"
                        + "  - {name: b, mode: shadow, prefix: x_, model: b.onnx}\n"));
    assertTrue(e.getMessage().contains("column 'x_label' is written twice"), e.getMessage());
  }

  @Test
  void aMissingKeyColumnAndAnUnfitChallengerFailWhenBound() throws Exception {
    ColumnBatch batch = sample();
    SpecException e =
        assertThrows(
            SpecException.class,
            () ->
                ScoringPlan.bind(
                    spec(
                        "challengers:\n"
                            + "  - {name: mlp, mode: canary, share: 0.1, key: customer,"
                            + " model: ../models/breast_cancer_mlp.onnx}\n"
                            + "  - {name: wine, mode: shadow, model: ../models/wine_forest.onnx}\n"),
                    batch.schema()));
    String m = e.getMessage();
    assertTrue(m.contains("challengers[0].key: column 'customer' is not in the input"), m);
    assertTrue(m.contains("challengers[1]."), m);
  }

  @Test
  void aVersionFolderWithNoVersionsFailsBeforeScoring() throws Exception {
    Files.createDirectories(tmp.resolve("empty"));
    ScoringSpec s =
        spec(
            "challengers:\n"
                + "  - {name: next, mode: shadow, model: "
                + tmp.resolve("empty")
                + "}\n");
    Exception e =
        assertThrows(
            io.batchscore.core.model.ModelLoadException.class,
            () -> ScoringPlan.bind(s, sample().schema()));
    assertTrue(e.getMessage().contains("holds no versions"), e.getMessage());
  }

  @Test
  void aNullCanaryKeyFailsUnderTheFailPolicyNamingTheRow() throws Exception {
    ColumnBatch batch = sample();
    ColumnBatch.Builder b = ColumnBatch.builder(batch.rowCount());
    long[] ids = new long[batch.rowCount()];
    boolean[] nulls = new boolean[batch.rowCount()];
    nulls[5] = true;
    batch
        .columns()
        .forEach((k, v) -> b.add(k, k.equals("id") ? Column.ofLongs(ids, nulls, ids.length) : v));
    ScoringSpec s =
        spec(
            "challengers:\n"
                + "  - {name: mlp, mode: canary, share: 0.5, key: id,"
                + " model: ../models/breast_cancer_mlp.onnx}\n");
    ColumnBatch withNull = b.build();
    ScoringPlan plan = ScoringPlan.bind(s, withNull.schema());
    try (BatchScorer scorer = BatchScorer.open(plan, ScorerOptions.defaults())) {
      BadInputException e = assertThrows(BadInputException.class, () -> scorer.score(withNull));
      assertEquals("id", e.column());
      assertEquals(5, e.row());
    }
  }

  @Test
  void theSpecWithChallengersSurvivesItsJsonForm() throws Exception {
    ScoringSpec s =
        spec(
            "challengers:\n"
                + "  - {name: mlp, mode: shadow, model: ../models/breast_cancer_mlp.onnx}\n"
                + "  - {name: next, mode: canary, share: 0.1, key: id, version: \"3\","
                + " model: ../models/breast_cancer_logreg.onnx}\n");
    ScoringSpec back = ScoringSpec.parse(s.toJson(), "json", null);
    assertEquals(s.toJson(), back.toJson());
    assertEquals(2, back.challengers().size());
    assertEquals("mlp_", back.challengers().get(0).prefix());
    assertEquals(0.1, back.challengers().get(1).share());
    assertEquals("3", back.challengers().get(1).spec().version());
    assertEquals(null, back.challengers().get(0).spec().version(), "not the champion's");
  }
}
