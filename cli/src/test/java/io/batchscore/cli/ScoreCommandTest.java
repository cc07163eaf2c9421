package io.batchscore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.TestData;
import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.io.ParquetTableReader;
import io.batchscore.spark.job.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** batchscore score, inspect and validate, in-process, with exit codes asserted. */
class ScoreCommandTest {
  @TempDir Path tmp;

  static String sample(String p) {
    return TestData.sample(p).toString();
  }

  static Map<Long, Float> column(Path parquet, String name) throws IOException {
    Map<Long, Float> out = new HashMap<>();
    try (ParquetTableReader r = new ParquetTableReader(parquet, List.of("id", name))) {
      ColumnBatch b;
      while ((b = r.next(100)) != null) {
        for (int i = 0; i < b.rowCount(); i++) {
          out.put((b.column("id")).getLong(i), (b.column(name)).getFloat(i));
        }
      }
    }
    return out;
  }

  private void assertNothingLeftBehind() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      List<String> names =
          s.map(p -> p.getFileName().toString())
              .filter(n -> n.startsWith(".") || n.startsWith("out"))
              .toList();
      assertEquals(List.of(), names, "no output or temporary file left");
    }
  }

  @Test
  void parquetAndCsvInputsGiveTheSamePredictions() throws Exception {
    Path fromParquet = tmp.resolve("a.parquet");
    Path fromCsv = tmp.resolve("b.parquet");
    CliRunner.Result a =
        CliRunner.run(
            "score",
            "--spec",
            sample("specs/breast_cancer.yaml"),
            "-i",
            sample("data/breast_cancer.parquet"),
            "-o",
            fromParquet.toString());
    assertEquals(0, a.code(), a.err());
    assertTrue(a.out().contains("scored 569 of 569 rows"), a.out());
    CliRunner.Result b =
        CliRunner.run(
            "score",
            "--spec",
            sample("specs/breast_cancer.yaml"),
            "-i",
            sample("data/breast_cancer.csv"),
            "-o",
            fromCsv.toString());
    assertEquals(0, b.code(), b.err());
    Map<Long, Float> pa = column(fromParquet, "p_benign");
    assertEquals(569, pa.size());
    assertEquals(pa, column(fromCsv, "p_benign"));
    // and equal to sklearn's own, within 1e-5
    TestData.Table expected =
        TestData.readCsv(TestData.sample("expected/breast_cancer_logreg.csv"));
    for (int i = 0; i < 569; i++) {
      assertEquals(expected.get(i, "p1"), pa.get((long) i), 1e-5);
    }
  }

  @Test
  void arrayColumnsAreReadAndPredictionArraysWritten() throws Exception {
    Path out = tmp.resolve("f.parquet");
    CliRunner.Result r =
        CliRunner.run(
            "score",
            "--spec",
            sample("specs/fashion_mlp_pixels.yaml"),
            "-i",
            sample("data/fashion_mnist_1k.parquet"),
            "-o",
            out.toString(),
            "--batch-size",
            "77");
    assertEquals(0, r.code(), r.err());
    TestData.Table expected = TestData.readCsv(TestData.sample("expected/fashion_mlp.csv"));
    try (ParquetTableReader rd = new ParquetTableReader(out, List.of("id", "probabilities"))) {
      ColumnBatch b = rd.next(2000);
      assertEquals(1000, b.rowCount());
      Column p = b.column("probabilities");
      float[] v = (p.elements()).floats();
      for (int i = 0; i < 1000; i++) {
        long id = (b.column("id")).getLong(i);
        for (int c = 0; c < 10; c++) {
          assertEquals(expected.get((int) id, "p" + c), v[i * 10 + c], 1e-5);
        }
      }
    }
  }

  @Test
  void quickFlagsScoreWithoutASpec() throws Exception {
    Path out = tmp.resolve("q.csv");
    String features =
        String.join(
            ",",
            TestData.readCsv(TestData.sample("data/breast_cancer.csv")).header().subList(1, 31));
    CliRunner.Result r =
        CliRunner.run(
            "score",
            "--model",
            sample("models/breast_cancer_logreg.onnx"),
            "--features",
            features,
            "--output-column",
            "output_label=label",
            "--passthrough",
            "id",
            "-i",
            sample("data/breast_cancer.csv"),
            "-o",
            out.toString());
    assertEquals(0, r.code(), r.err());
    List<String> lines = Files.readAllLines(out);
    assertEquals("id,label", lines.get(0));
    assertEquals(570, lines.size());
  }

  @Test
  void corruptParquetExits4AndLeavesNoOutput() throws Exception {
    Path bad = tmp.resolve("corrupt.parquet");
    byte[] real = Files.readAllBytes(TestData.sample("data/breast_cancer.parquet"));
    Files.write(bad, java.util.Arrays.copyOf(real, 1000));
    CliRunner.Result r =
        CliRunner.run(
            "score",
            "--spec",
            sample("specs/breast_cancer.yaml"),
            "-i",
            bad.toString(),
            "-o",
            tmp.resolve("out.parquet").toString());
    assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("corrupt.parquet: not a readable Parquet file"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace without --verbose");
    Files.delete(bad);
    assertNothingLeftBehind();
  }

  @Test
  void missingColumnExits3NamingIt() throws Exception {
    Path csv = tmp.resolve("in.csv");
    List<String> lines = Files.readAllLines(TestData.sample("data/breast_cancer.csv"));
    Files.write(
        csv, lines.stream().map(l -> l.substring(l.indexOf(',', l.indexOf(',') + 1) + 1)).toList());
    CliRunner.Result r =
        CliRunner.run(
            "score",
            "--spec",
            sample("specs/breast_cancer.yaml"),
            "-i",
            csv.toString(),
            "-o",
            tmp.resolve("out.csv").toString());
    assertEquals(ExitCodes.INVALID_SPEC, r.code(), r.err());
    assertTrue(r.err().contains("no column 'mean_radius' in the input"), r.err());
    assertTrue(r.err().contains("no column 'id' in the input"), r.err());
    Files.delete(csv);
    assertNothingLeftBehind();
  }

  @Test
  void csvRowWithABadNumberExits4NamingFileLineAndColumn() throws Exception {
    Path csv = tmp.resolve("in.csv");
    List<String> lines =
        new java.util.ArrayList<>(Files.readAllLines(TestData.sample("data/breast_cancer.csv")));
    lines.set(401, lines.get(401).replaceFirst(",([^,]*),", ",12.x,"));
    Files.write(csv, lines);
    CliRunner.Result r =
        CliRunner.run(
            "score",
            "--spec",
            sample("specs/breast_cancer.yaml"),
            "-i",
            csv.toString(),
            "-o",
            tmp.resolve("out.parquet").toString(),
            "--batch-size",
            "100");
    assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
    assertTrue(
        r.err()
            .contains(
                "in.csv line 402, column 'mean_radius': '12.x' is not a number (expected float)"),
        r.err());
    Files.delete(csv);
    assertNothingLeftBehind();
  }

  @Test
  void nullUnderFailPolicyNamesTheRowInTheWholeFile() throws Exception {
    Path csv = tmp.resolve("in.csv");
    List<String> lines =
        new java.util.ArrayList<>(Files.readAllLines(TestData.sample("data/breast_cancer.csv")));
    lines.set(301, lines.get(301).replaceFirst(",([^,]*),", ",,"));
    Files.write(csv, lines);
    CliRunner.Result r =
        CliRunner.run(
            "score",
            "--spec",
            sample("specs/breast_cancer.yaml"),
            "-i",
            csv.toString(),
            "-o",
            tmp.resolve("out.parquet").toString(),
            "--batch-size",
            "100");
    assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("column 'mean_radius' row 300 is null"), r.err());
    CliRunner.Result skip =
        CliRunner.run(
            "score",
            "--spec",
            sample("specs/breast_cancer.yaml"),
            "-i",
            csv.toString(),
            "-o",
            tmp.resolve("out.parquet").toString(),
            "--nulls",
            "skip");
    assertEquals(0, skip.code(), skip.err());
    assertTrue(skip.out().contains("scored 568 of 569 rows"), skip.out());
    assertTrue(skip.out().contains("1 rejected {null:mean_radius=1}"), skip.out());
  }

  @Test
  void missingModelExits5() throws Exception {
    Path spec = tmp.resolve("s.yaml");
    Files.writeString(
        spec,
        Files.readString(TestData.sample("specs/breast_cancer.yaml"))
            .replace(
                "../models/breast_cancer_logreg.onnx", TestData.sample("models") + "/gone.onnx"));
    CliRunner.Result r =
        CliRunner.run(
            "score",
            "--spec",
            spec.toString(),
            "-i",
            sample("data/breast_cancer.parquet"),
            "-o",
            tmp.resolve("out.parquet").toString());
    assertEquals(ExitCodes.MODEL_LOAD, r.code(), r.err());
    assertTrue(r.err().contains("gone.onnx: model file not found"), r.err());
    Files.delete(spec);
    assertNothingLeftBehind();
  }

  @Test
  void whenTheModelAndTheInputAreBothMissingTheModelIsReported() throws Exception {
    // The input opens on a thread of its own while the model loads; the model's failure still
    // comes first, as it did when they opened one after the other.
    Path spec = tmp.resolve("s.yaml");
    Files.writeString(
        spec,
        Files.readString(TestData.sample("specs/breast_cancer.yaml"))
            .replace(
                "../models/breast_cancer_logreg.onnx", TestData.sample("models") + "/gone.onnx"));
    CliRunner.Result r =
        CliRunner.run(
            "score",
            "--spec",
            spec.toString(),
            "-i",
            tmp.resolve("nowhere.parquet").toString(),
            "-o",
            tmp.resolve("out.parquet").toString());
    assertEquals(ExitCodes.MODEL_LOAD, r.code(), r.err());
    assertTrue(r.err().contains("gone.onnx: model file not found"), r.err());
    CliRunner.Result input =
        CliRunner.run(
            "score",
            "--spec",
            sample("specs/breast_cancer.yaml"),
            "-i",
            tmp.resolve("nowhere.parquet").toString(),
            "-o",
            tmp.resolve("out.parquet").toString());
    assertEquals(ExitCodes.BAD_INPUT, input.code(), input.err());
    assertTrue(input.err().contains("nowhere.parquet: input file not found"), input.err());
    Files.delete(spec);
    assertNothingLeftBehind();
  }

  @Test
  void anOutputThatCannotBeCreatedFailsAndLeavesNoFile() throws Exception {
    // The writer opens on the writing thread, after the first batch is read: its failure must
    // still end the command with an error, and nothing half-written.
    Path notADir = tmp.resolve("out-file");
    Files.writeString(notADir, "a file, not a folder");
    CliRunner.Result r =
        CliRunner.run(
            "score",
            "--spec",
            sample("specs/breast_cancer.yaml"),
            "-i",
            sample("data/breast_cancer.parquet"),
            "-o",
            notADir.resolve("out.parquet").toString(),
            "--batch-size",
            "16");
    assertEquals(ExitCodes.RUNTIME_FAILURE, r.code(), r.err());
    assertTrue(r.err().contains("out.parquet"), r.err());
    Files.delete(notADir);
    assertNothingLeftBehind();
  }

  @Test
  void existingOutputIsKeptUnlessOverwriteIsGiven() throws Exception {
    Path out = tmp.resolve("keep.csv");
    Files.writeString(out, "precious");
    CliRunner.Result r =
        CliRunner.run(
            "score",
            "--spec",
            sample("specs/breast_cancer.yaml"),
            "-i",
            sample("data/breast_cancer.parquet"),
            "-o",
            out.toString());
    assertEquals(ExitCodes.OUTPUT_CONFLICT, r.code());
    assertEquals("precious", Files.readString(out));
    assertEquals(
        0,
        CliRunner.run(
                "score",
                "--spec",
                sample("specs/breast_cancer.yaml"),
                "-i",
                sample("data/breast_cancer.parquet"),
                "-o",
                out.toString(),
                "--overwrite")
            .code());
    assertEquals(570, Files.readAllLines(out).size());
  }

  @Test
  void batchesScoredAtOnceWriteTheSameRowsInTheSameOrder() throws Exception {
    List<List<String>> outputs = new java.util.ArrayList<>();
    for (String concurrency : new String[] {"1", "3"}) {
      Path out = tmp.resolve("c" + concurrency + ".csv");
      CliRunner.Result r =
          CliRunner.run(
              "score",
              "--spec",
              sample("specs/breast_cancer.yaml"),
              "-i",
              sample("data/breast_cancer.parquet"),
              "-o",
              out.toString(),
              "--batch-size",
              "16",
              "--threads",
              "3",
              "--concurrency",
              concurrency);
      assertEquals(0, r.code(), r.err());
      outputs.add(Files.readAllLines(out));
    }
    assertEquals(570, outputs.get(0).size());
    assertEquals(
        outputs.get(0),
        outputs.get(1),
        "36 batches of 16, three at a time, written as one at a time");
    CliRunner.Result bad =
        CliRunner.run(
            "score",
            "--spec",
            sample("specs/breast_cancer.yaml"),
            "-i",
            sample("data/breast_cancer.parquet"),
            "-o",
            tmp.resolve("out.csv").toString(),
            "--concurrency",
            "0");
    assertEquals(ExitCodes.USAGE, bad.code(), bad.err());
    assertTrue(bad.err().contains("--threads and --concurrency must be at least 1"), bad.err());
    assertNothingLeftBehindBut("c1.csv", "c3.csv");
  }

  private void assertNothingLeftBehindBut(String... kept) throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      List<String> names =
          s.map(p -> p.getFileName().toString()).filter(n -> !List.of(kept).contains(n)).toList();
      assertEquals(List.of(), names, "no other output or temporary file left");
    }
  }

  @Test
  void helpShowsTheFiltersTemplateAsWritten() {
    for (String command : new String[] {"run", "schedule"}) {
      CliRunner.Result r = CliRunner.run(command, "--help");
      assertEquals(0, r.code(), r.err());
      String help = (r.out() + r.err()).replaceAll("\\s+", " ");
      assertTrue(help.contains("\"ds = '${run_date}'\""), command + ": " + help);
      assertFalse(help.contains("'null'"), command);
    }
  }

  @Test
  void aSpecCopiedElsewhereSaysItsRelativeModelPathIsResolvedAgainstItsFolder() throws Exception {
    Path copied = Files.copy(TestData.sample("specs/breast_cancer.yaml"), tmp.resolve("bc.yaml"));
    CliRunner.Result r =
        CliRunner.run(
            "score",
            "--spec",
            copied.toString(),
            "-i",
            sample("data/breast_cancer.parquet"),
            "-o",
            tmp.resolve("out.parquet").toString());
    assertEquals(ExitCodes.MODEL_LOAD, r.code());
    assertTrue(
        r.err()
            .contains(
                "model file not found: the spec's model path"
                    + " '../models/breast_cancer_logreg.onnx' is relative to the spec's folder "
                    + tmp),
        r.err());
  }

  @Test
  void manyMissingColumnsAreOneProblemThatPointsAtTheInputsArrayColumn() {
    CliRunner.Result r =
        CliRunner.run(
            "validate",
            "--spec",
            sample("specs/fashion_mlp.yaml"),
            "-i",
            sample("data/fashion_mnist_1k.parquet"));
    assertEquals(ExitCodes.INVALID_SPEC, r.code());
    assertTrue(r.err().contains("has 1 problem"), r.err());
    assertTrue(
        r.err()
            .contains(
                "784 of the 784 columns are not in the input (px0, px1, px2, ... px783); the input"
                    + " has array column 'pixels' (array<float>), which 'column: pixels' feeds as"
                    + " one array"),
        r.err());
    assertTrue(r.err().lines().count() < 5, r.err());
  }

  @Test
  void usageErrorsExit2() {
    CliRunner.Result r = CliRunner.run("score", "--spec", "x.yaml");
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("Missing required options"), r.err());
    assertEquals(ExitCodes.USAGE, CliRunner.run("frobnicate").code());
  }

  @Test
  void inspectPrintsSignatureAsTextAndJson() throws Exception {
    CliRunner.Result t = CliRunner.run("inspect", sample("models/fashion_mlp.onnx"));
    assertEquals(0, t.code(), t.err());
    assertTrue(t.out().contains("image  float[N,1,28,28]"), t.out());
    assertTrue(t.out().contains("logits  float[N,10]"), t.out());
    CliRunner.Result j = CliRunner.run("inspect", "--json", sample("models/wine_forest.onnx"));
    var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(j.out());
    assertEquals("float_input", node.get("inputs").get(0).get("name").asText());
    assertEquals("N", node.get("inputs").get(0).get("shape").get(0).asText());
    assertEquals(13, node.get("inputs").get(0).get("shape").get(1).asInt());
    assertEquals("sequence_of_maps", node.get("outputs").get(1).get("kind").asText());
    assertEquals(
        "class_0,class_1,class_2", node.get("metadata").get("custom").get("classes").asText());
    assertEquals(
        ExitCodes.MODEL_LOAD, CliRunner.run("inspect", tmp.resolve("none.onnx").toString()).code());
  }

  @Test
  void aSpecNamingAVersionedModelFolderScoresItsLatestVersionOrTheOneAskedFor() throws Exception {
    Path base = tmp.resolve("models/bc");
    for (String v : new String[] {"4", "5"}) {
      Files.createDirectories(base.resolve(v));
      Files.copy(
          TestData.sample("models/breast_cancer_logreg.onnx"), base.resolve(v + "/model.onnx"));
    }
    String text =
        Files.readString(TestData.sample("specs/breast_cancer.yaml"))
            .replace("model: ../models/breast_cancer_logreg.onnx", "model: models/bc");
    Path latest =
        Files.writeString(
            tmp.resolve("latest.yaml"), text.replace("version: \"1\"", "version: latest"));
    CliRunner.Result r = CliRunner.run("validate", "--spec", latest.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains(base.resolve("5/model.onnx") + " (version 5,"), r.out());
    Path out = tmp.resolve("scored.parquet");
    r =
        CliRunner.run(
            "score",
            "--spec",
            latest.toString(),
            "-i",
            sample("data/breast_cancer.parquet"),
            "-o",
            out.toString());
    assertEquals(0, r.code(), r.err());
    Path missing =
        Files.writeString(tmp.resolve("six.yaml"), text.replace("version: \"1\"", "version: 6"));
    r =
        CliRunner.run(
            "score",
            "--spec",
            missing.toString(),
            "-i",
            sample("data/breast_cancer.parquet"),
            "-o",
            tmp.resolve("none.parquet").toString());
    assertEquals(ExitCodes.MODEL_LOAD, r.code());
    assertTrue(r.err().contains("version 6 is not in the model folder; it has [4, 5]"), r.err());
    assertTrue(!Files.exists(tmp.resolve("none.parquet")), "no output");
  }

  @Test
  void validateListsEveryProblemAndScoresNothing() throws Exception {
    CliRunner.Result ok =
        CliRunner.run(
            "validate",
            "--spec",
            sample("specs/wine_forest.yaml"),
            "-i",
            sample("data/wine.parquet"));
    assertEquals(0, ok.code(), ok.err());
    assertTrue(ok.out().contains("fits model"), ok.out());
    Path spec = tmp.resolve("bad.yaml");
    Files.writeString(
        spec,
        Files.readString(TestData.sample("specs/wine_forest.yaml"))
            .replace("- hue", "- hew")
            .replace("- proline", "- prolin")
            .replace("../models/", TestData.sample("models") + "/")
            .replace("k: 2", "k: 5"));
    CliRunner.Result bad =
        CliRunner.run("validate", "--spec", spec.toString(), "-i", sample("data/wine.parquet"));
    assertEquals(ExitCodes.INVALID_SPEC, bad.code());
    assertTrue(bad.err().contains("has 3 problems"), bad.err());
    assertTrue(bad.err().contains("k = 5 but only 3 labels are given"), bad.err());
    assertTrue(bad.err().contains("no column 'hew' in the input (did you mean 'hue'?)"), bad.err());
    assertTrue(
        bad.err().contains("no column 'prolin' in the input (did you mean 'proline'?)"), bad.err());
  }

  @Test
  void aFolderGivenAsOutputIsRefusedBeforeScoringEvenWithOverwrite() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("outdir"));
    for (String o : List.of(dir.toString(), "/")) {
      CliRunner.Result r =
          CliRunner.run(
              "score",
              "--spec",
              sample("specs/breast_cancer.yaml"),
              "-i",
              sample("data/breast_cancer.parquet"),
              "-o",
              o,
              "--overwrite");
      assertEquals(ExitCodes.OUTPUT_CONFLICT, r.code(), r.err());
      assertTrue(r.err().contains("-o " + o + " is a folder; the output is one file"), r.err());
      assertFalse(r.err().contains("Exception"), r.err());
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(0, s.count(), "nothing written into the folder");
    }
  }

  @Test
  void hiddenFilesOfAnEarlierRunThatWasKilledAreRemovedByTheNextRun() throws Exception {
    Path out = tmp.resolve("scores.parquet");
    // what kill -9 leaves: the hidden output, with and without its (now unlocked) lock file
    Path stale1 = Files.writeString(tmp.resolve(".scores.parquet.batchscore-1111"), "partial");
    Files.writeString(tmp.resolve(".scores.parquet.batchscore-1111.lock"), "");
    Path stale2 = Files.writeString(tmp.resolve(".scores.parquet.batchscore-2222"), "partial");
    Path otherName =
        Files.writeString(tmp.resolve(".other.parquet.batchscore-3333"), "another output's");
    CliRunner.Result r =
        CliRunner.run(
            "score",
            "--spec",
            sample("specs/breast_cancer.yaml"),
            "-i",
            sample("data/breast_cancer.parquet"),
            "-o",
            out.toString());
    assertEquals(0, r.code(), r.err());
    assertFalse(Files.exists(stale1));
    assertFalse(Files.exists(tmp.resolve(".scores.parquet.batchscore-1111.lock")));
    assertFalse(Files.exists(stale2));
    assertTrue(Files.exists(otherName), "only this output's files are touched");
    Files.delete(otherName);
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of("scores.parquet"), s.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void theHiddenFileOfARunStillInProgressIsLeftAlone() throws Exception {
    Path live = Files.writeString(tmp.resolve(".scores.parquet.batchscore-4444"), "being written");
    Path lockFile = tmp.resolve(".scores.parquet.batchscore-4444.lock");
    try (java.nio.channels.FileChannel ch =
            java.nio.channels.FileChannel.open(
                lockFile,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock held = ch.lock()) {
      CliRunner.Result r =
          CliRunner.run(
              "score",
              "--spec",
              sample("specs/breast_cancer.yaml"),
              "-i",
              sample("data/breast_cancer.parquet"),
              "-o",
              tmp.resolve("scores.parquet").toString());
      assertEquals(0, r.code(), r.err());
      assertTrue(Files.exists(live), "a locked run's file is kept");
    }
  }

  @Test
  void aBatchSizeThatCannotFitInMemoryIsASpecErrorBeforeScoring() throws Exception {
    CliRunner.Result r =
        CliRunner.run(
            "score",
            "--spec",
            sample("specs/breast_cancer.yaml"),
            "-i",
            sample("data/breast_cancer.parquet"),
            "-o",
            tmp.resolve("out.parquet").toString(),
            "--batch-size",
            "1000000000");
    assertEquals(ExitCodes.INVALID_SPEC, r.code(), r.err());
    assertTrue(r.err().contains("batchSize: 1,000,000,000 rows a batch need about"), r.err());
    assertTrue(r.err().contains("Lower batchSize"), r.err());
    assertNothingLeftBehind();
  }

  @Test
  void inspectNamesAModelsWeightFilesAndTheDigestThatPinsThemAll() throws Exception {
    CliRunner.Result r = CliRunner.run("inspect", TestData.fixture("external.onnx").toString());
    assertEquals(0, r.code(), r.err());
    String pin =
        io.batchscore.core.model.ModelSource.of(TestData.fixture("external.onnx")).sha256();
    assertTrue(
        r.out().contains("sha256:   " + pin + " (of the model and its weight files)"), r.out());
    assertTrue(r.out().contains("weights:  external.bin"), r.out());
    CliRunner.Result json =
        CliRunner.run("inspect", "--json", TestData.fixture("external.onnx").toString());
    assertTrue(json.out().contains("\"externalData\" : [ \"external.bin\" ]"), json.out());
  }
}
