package io.batchscore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.BatchScorer;
import io.batchscore.core.ScoreResult;
import io.batchscore.core.ScorerOptions;
import io.batchscore.core.ScoringPlan;
import io.batchscore.core.TextModels;
import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.ColumnType;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.io.ParquetTableReader;
import io.batchscore.io.ParquetTableWriter;
import io.batchscore.spark.SparkTestSession;
import io.batchscore.spark.job.JobOptions;
import io.batchscore.spark.job.JobRunner;
import io.batchscore.spark.ml.OnnxScoringModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same text embeddings from scoring-core, the CLI, the Spark job and the Transformer. */
class TextEmbeddingsEverywhereTest {
  @TempDir Path tmp;
  static final String MODEL = "all-minilm-l6-v2.onnx";
  static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

  static Map<Long, float[]> fromParquet(Path p) throws Exception {
    Map<Long, float[]> out = new HashMap<>();
    try (ParquetTableReader r = new ParquetTableReader(p, List.of("id", "embedding"))) {
      ColumnBatch b;
      while ((b = r.next(1000)) != null) {
        Column a = b.column("embedding");
        float[] v = (a.elements()).floats();
        for (int i = 0; i < b.rowCount(); i++) {
          out.put(
              (b.column("id")).getLong(i),
              java.util.Arrays.copyOfRange(v, a.offsets()[i], a.offsets()[i + 1]));
        }
      }
    }
    return out;
  }

  static void assertSame(Map<Long, float[]> expected, Map<Long, float[]> actual, String what) {
    assertEquals(expected.size(), actual.size(), what);
    expected.forEach(
        (id, e) -> {
          float[] a = actual.get(id);
          assertEquals(384, a.length, what);
          for (int j = 0; j < 384; j++) {
            assertEquals(e[j], a[j], 1e-5, what + " id " + id);
          }
        });
  }

  @Test
  void cliSparkJobAndTransformerGiveTheEmbeddingsOfTheLibrary() throws Exception {
    Path dir = TextModels.extract(MODEL, TOKENIZER);
    Path spec = tmp.resolve("minilm.yaml");
    Files.writeString(spec, TextModels.embeddingSpec(dir, MODEL, TOKENIZER, "ort"));
    String[] texts = {
      "Batch scoring with ONNX.",
      "Spark partitions stream through one session.",
      "¿Qué tal?",
      "日本語",
      "short",
      "A somewhat longer sentence about nightly runs and their reports.",
      "token ".repeat(200),
      "Emoji 🙂"
    };
    long[] ids = new long[texts.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i;
    }
    ColumnBatch batch =
        ColumnBatch.builder(texts.length)
            .add("id", Column.ofLongs(ids))
            .add("text", Column.ofStrings(texts))
            .build();
    Path input = tmp.resolve("texts.parquet");
    try (ParquetTableWriter w =
        new ParquetTableWriter(
            input,
            List.of(
                new ParquetTableWriter.OutputField(
                    "id", ColumnType.scalar(ElementType.INT64), null, false),
                new ParquetTableWriter.OutputField(
                    "text", ColumnType.scalar(ElementType.STRING), null, false)))) {
      w.write(batch);
    }

    Map<Long, float[]> library = new HashMap<>();
    try (BatchScorer s =
        BatchScorer.open(
            ScoringPlan.bind(ScoringSpec.load(spec), null), ScorerOptions.defaults())) {
      ScoreResult r = s.score(batch);
      Column a = r.columns().column("embedding");
      for (int i = 0; i < r.rowsScored(); i++) {
        library.put(
            (long) i,
            java.util.Arrays.copyOfRange((a.elements()).floats(), i * 384, i * 384 + 384));
      }
    }

    Path cliOut = tmp.resolve("cli.parquet");
    CliRunner.Result cli =
        CliRunner.run(
            "score", "--spec", spec.toString(), "-i", input.toString(), "-o", cliOut.toString());
    assertEquals(0, cli.code(), cli.err());
    assertSame(library, fromParquet(cliOut), "CLI");

    SparkSession spark = SparkTestSession.start();
    try {
      JobOptions o = new JobOptions();
      o.spec = spec.toString();
      o.input = input.toString();
      o.output = tmp.resolve("job").toString();
      o.runDate = LocalDate.of(2026, 11, 24);
      o.partitions = 3;
      JobRunner.run(o, spark);
      assertSame(library, fromParquet(tmp.resolve("job/run_date=2026-11-24")), "Spark job");

      OnnxScoringModel t = new OnnxScoringModel().setSpec(ScoringSpec.load(spec));
      Map<Long, float[]> transformer = new HashMap<>();
      for (Row row : t.transform(spark.read().parquet(input.toString())).collectAsList()) {
        List<Float> v = row.getList(row.fieldIndex("embedding"));
        float[] f = new float[v.size()];
        for (int j = 0; j < f.length; j++) {
          f[j] = v.get(j);
        }
        transformer.put(row.getLong(row.fieldIndex("id")), f);
      }
      assertSame(library, transformer, "Transformer");
      assertTrue(
          t.transform(spark.read().parquet(input.toString()))
              .schema()
              .apply("embedding")
              .dataType()
              .simpleString()
              .equals("array<float>"));
    } finally {
      spark.stop();
    }
  }
}
