package io.batchscore.bench;

import io.batchscore.core.BatchScorer;
import io.batchscore.core.ScorerOptions;
import io.batchscore.core.ScoringPlan;
import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.spec.ScoringSpec;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Random;

/**
 * Texts per second with all-MiniLM-L6-v2 (mean pooling, L2): batched and padded per batch, against
 * one text at a time, on the same texts with the same intra-op threads, in one run.
 *
 * <pre>
 * mvn -B -q -DskipTests install &amp;&amp; mvn -B -q -pl benchmarks exec:exec
 * </pre>
 *
 * Arguments (optional): texts (default 1024), threads (default 2), batch size (default 32).
 */
public final class TextThroughput {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    Path dir = Files.createTempDirectory("bench-minilm");
    for (String f : new String[] {"all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json"}) {
      try (InputStream in = TextThroughput.class.getClassLoader().getResourceAsStream(f)) {
        Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    String[] texts = texts(n);
    ColumnBatch all = ColumnBatch.builder(n).add("text", Column.ofStrings(texts)).build();
    System.out.printf(
        "all-MiniLM-L6-v2, %d texts (seeded, 3 to 120 words), %d intra-op threads, %s, %d cores%n",
        n,
        threads,
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    double sorted = 0;
    double unsorted = 0;
    double single = 0;
    for (int round = 0; round < 3; round++) {
      sorted =
          Math.max(sorted, run(dir, all, threads, batch, batch * ScoringPlan.TEXT_SORT_WINDOW));
      unsorted = Math.max(unsorted, run(dir, all, threads, batch, batch));
      single = Math.max(single, run(dir, all, threads, 1, 1));
    }
    System.out.println();
    System.out.println("| path | texts/s (best of 3) | ratio to one at a time |");
    System.out.println("|---|---|---|");
    System.out.printf(Locale.ROOT, "| one text at a time (batch size 1) | %.0f | 1.00 |%n", single);
    System.out.printf(
        Locale.ROOT,
        "| batches of %d in arrival order, padded to each batch's longest | %.0f | %.2f |%n",
        batch,
        unsorted,
        unsorted / single);
    System.out.printf(
        Locale.ROOT,
        "| batches of %d, rows sorted by length in windows of %d (the default) | %.0f | %.2f |%n",
        batch,
        batch * ScoringPlan.TEXT_SORT_WINDOW,
        sorted,
        sorted / single);
  }

  /**
   * Texts/s scoring {@code all} handed over in windows of {@code window} rows, as the readers do.
   */
  private static double run(Path dir, ColumnBatch all, int threads, int batchSize, int window)
      throws Exception {
    String spec =
        "model: "
            + dir.resolve("all-minilm-l6-v2.onnx")
            + "\nbatchSize: "
            + batchSize
            + "\nsession: {intraOpThreads: "
            + threads
            + "}\ntext: {column: text, tokenizer: "
            + dir.resolve("all-minilm-l6-v2-tokenizer.json")
            + "}\noutputs: [{output: last_hidden_state,"
            + " column: e, transform: mean_pooling, normalize: true}]\n";
    try (BatchScorer s =
        BatchScorer.open(
            ScoringPlan.bind(ScoringSpec.parse(spec, "bench", null), null),
            ScorerOptions.defaults())) {
      s.score(
          ColumnBatch.builder(8)
              .add(
                  "text",
                  Column.ofStrings(java.util.Arrays.copyOf((all.column("text")).strings(), 8)))
              .build()); // warm-up
      String[] texts = (all.column("text")).strings();
      long t0 = System.nanoTime();
      int scored = 0;
      for (int from = 0; from < texts.length; from += window) {
        String[] part =
            java.util.Arrays.copyOfRange(texts, from, Math.min(texts.length, from + window));
        scored +=
            s.score(ColumnBatch.builder(part.length).add("text", Column.ofStrings(part)).build())
                .rowsScored();
      }
      return scored / ((System.nanoTime() - t0) / 1e9);
    }
  }

  static String[] texts(int n) {
    Random rnd = new Random(42);
    String[] words =
        ("the model scores each row of the nightly partition and writes predictions with"
                + " its version checksum and a report of latency throughput and drift for every column")
            .split(" ");
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      int len = 3 + rnd.nextInt(118);
      StringBuilder sb = new StringBuilder();
      for (int w = 0; w < len; w++) {
        sb.append(w == 0 ? "" : " ").append(words[rnd.nextInt(words.length)]);
      }
      out[i] = sb.append('.').toString();
    }
    return out;
  }
}
