package io.batchscore.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the JMH benchmarks ({@link ScoringCoreJmh}) and prints their figures as tables with the
 * ratio of each to its baseline from the same run.
 *
 * <pre>
 * mvn -B -q -DskipTests install
 * mvn -B -q -pl benchmarks exec:exec -Dbench.main=io.batchscore.bench.JmhTables
 * </pre>
 *
 * An argument narrows the run to benchmarks matching that regular expression (JMH's include).
 */
public final class JmhTables {
  private JmhTables() {}

  public static void main(String[] args) throws Exception {
    String include =
        args.length > 0 && !args[0].isBlank() ? args[0] : "io.batchscore.bench.ScoringCoreJmh";
    Options opts = new OptionsBuilder().include(include).build();
    Collection<RunResult> results = new Runner(opts).run();
    // benchmark (without class) + params -> (score, error)
    Map<String, double[]> byKey = new LinkedHashMap<>();
    for (RunResult r : results) {
      var p = r.getParams();
      String name = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.') + 1);
      String param =
          p.getParam("model") != null
              ? p.getParam("model") + "/" + p.getParam("callers")
              : p.getParam("rows");
      byKey.put(
          name + "/" + param,
          new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
    }
    System.out.printf(
        Locale.ROOT,
        "%nbatchscore JMH: %d cores, %s %s, ORT %s, %d cores used by one caller or one batch at a time, or by that many callers or batches at once%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        RawOrt.version(),
        TabularBenchmark.THREADS);
    for (String model : new String[] {"logreg", "mlp"}) {
      for (String callers : new String[] {"2", "1"}) {
        coreTable(byKey, model, callers);
      }
    }
    System.out.println();
    System.out.println(
        "The input path (the NaN check and the copy into the tensor) is measured in scoring-core's");
    System.out.println(
        "test sources: mvn -B -q -pl scoring-core exec:exec -Dbench.main=io.batchscore.core.InputPathBenchmark");
  }

  /** scoring-core against raw ORT for one model and one way of using the cores. */
  private static void coreTable(Map<String, double[]> byKey, String model, String callers) {
    String key = model + "/" + callers;
    double[] raw = byKey.get("rawOrt/" + key);
    if (raw == null) {
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "%n### scoring-core against raw ONNX Runtime: %s, %s, %,d in-memory rows (JMH, rows/s, mean +- 99.9%% CI)%n%n",
        model,
        callers.equals("2")
            ? "two callers / two batches at once, one intra-op thread each"
            : "one caller / one batch at a time, two intra-op threads",
        ScoringCoreJmh.ROWS);
    System.out.println(
        "JMH runs one benchmark after another: the ratios carry the machine's drift between them;");
    System.out.println(
        "TabularBenchmark's in-memory rows interleave the same paths for the ratio.");
    System.out.println();
    System.out.println("| path | rows/s | ratio |");
    System.out.println("|---|---:|---|");
    row("raw ONNX Runtime, pinned direct input/output tensors", raw, "1.00 (the limit)");
    row(
        "raw ONNX Runtime + a NaN check per batch + its outputs kept",
        byKey.get("rawOrtKeepingOutputs/" + key),
        raw);
    row(
        "scoring-core, the spec's outputs, from 30 float columns",
        byKey.get("coreColumns/" + key),
        raw);
    row(
        "scoring-core, raw output tensor, from 30 float columns",
        byKey.get("coreColumnsRawOutput/" + key),
        raw);
    row(
        "scoring-core, raw output tensor, from raw ORT's row-major layout",
        byKey.get("coreRowMajorRawOutput/" + key),
        raw);
  }

  private static void row(String path, double[] v, double[] base) {
    if (v != null) {
      row(path, v, String.format(Locale.ROOT, "%.2f of raw", v[0] / base[0]));
    }
  }

  private static void row(String path, double[] v, String ratio) {
    System.out.printf(Locale.ROOT, "| %s | %,.0f +- %,.0f | %s |%n", path, v[0], v[1], ratio);
  }
}
