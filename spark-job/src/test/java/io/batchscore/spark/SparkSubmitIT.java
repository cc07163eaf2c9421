package io.batchscore.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchscore.core.TestData;
import io.batchscore.spark.job.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded job jar, run through Spark's own submit entry point in child JVMs. */
class SparkSubmitIT {
  @TempDir Path work;

  /** The fashion MLP on its 1,000 images, in 16 partitions. */
  private List<String> jobArgs(Path out, String date) {
    List<String> args =
        new java.util.ArrayList<>(
            jobArgs(
                TestData.sample("specs/fashion_mlp_pixels.yaml"),
                TestData.sample("data/fashion_mnist_1k.parquet"),
                out,
                date));
    args.addAll(List.of("--partitions", "16"));
    return args;
  }

  private static List<String> jobArgs(Path spec, Path input, Path out, String date) {
    return List.of(
        "--spec",
        spec.toString(),
        "--input",
        input.toString(),
        "--output",
        out.toString(),
        "--run-date",
        date);
  }

  private static long parquetRows(Path dir) throws Exception {
    // Count rows from the footers with parquet-hadoop: no Spark session in this JVM.
    long n = 0;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".parquet"))::iterator) {
        try (var r =
            org.apache.parquet.hadoop.ParquetFileReader.open(
                org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                    new org.apache.hadoop.fs.Path(p.toUri()),
                    new org.apache.hadoop.conf.Configuration()))) {
          n += r.getRecordCount();
        }
      }
    }
    return n;
  }

  @Test
  void sparkSubmitRunsTheJobJarOnTheSample() throws Exception {
    Path out = work.resolve("predictions");
    SparkSubmitter.Result r =
        SparkSubmitter.submit(work, List.of("--master", "local[2]"), jobArgs(out, "2026-11-24"));
    assertEquals(0, r.code(), r.stderr());
    assertTrue(r.stdout().contains("scored 1000 rows (0 rejected)"), r.stdout());
    assertEquals(1000, parquetRows(out.resolve("run_date=2026-11-24")));
  }

  @Test
  void sparkSubmitExitsWithTheDocumentedCodeOnABadSpec() throws Exception {
    Path spec = work.resolve("bad.yaml");
    Files.writeString(
        spec,
        "model: "
            + TestData.sample("models/fashion_mlp.onnx")
            + "\ninputs: [{input: image, column: nope}]\noutputs: [{output: logits, column: l}]\n");
    SparkSubmitter.Result r =
        SparkSubmitter.submit(
            work,
            List.of("--master", "local[1]"),
            List.of(
                "--spec",
                spec.toString(),
                "--input",
                TestData.sample("data/fashion_mnist_1k.parquet").toString(),
                "--output",
                work.resolve("o").toString()));
    assertEquals(ExitCodes.INVALID_SPEC, r.code(), r.stderr());
    assertTrue(r.stderr().contains("no column 'nope' in the input"), r.stderr());
    assertTrue(
        !Files.exists(
            work.resolve("o/run_date=" + java.time.LocalDate.now(java.time.ZoneOffset.UTC))));
  }

  @Test
  void theJobJarCarriesNeitherSparkNorScalaAndOnlyLinuxNatives() throws Exception {
    List<String> names;
    try (java.util.jar.JarFile jar =
        new java.util.jar.JarFile(System.getProperty("batchscore.job.jar"))) {
      names = jar.stream().map(java.util.jar.JarEntry::getName).toList();
    }
    assertTrue(names.contains("io/batchscore/spark/job/ScoringJob.class"));
    for (String cluster :
        List.of(
            "org/apache/spark/",
            "scala/",
            "org/apache/hadoop/",
            "org/apache/parquet/",
            "com/fasterxml/jackson/core/",
            "com/fasterxml/jackson/databind/",
            "org/slf4j/")) {
      assertTrue(
          names.stream().noneMatch(n -> n.startsWith(cluster)), "the cluster provides " + cluster);
    }
    for (String linux : List.of("linux-x64", "linux-aarch64")) {
      assertTrue(names.contains("ai/onnxruntime/native/" + linux + "/libonnxruntime.so"), linux);
    }
    assertTrue(
        names.stream()
            .noneMatch(
                n ->
                    n.contains(".dSYM/")
                        || n.matches("ai/onnxruntime/native/(osx|win)-.*")
                        || n.matches("native/lib/(osx|win)-.*")),
        "no macOS or Windows natives, no debug symbols");
  }

  @Test
  void theReadmesClusterCommandFindsTheModelShippedWithFiles() throws Exception {
    // As on YARN or Kubernetes: the spec names its model by a path that does not exist where the
    // job runs; --files ships the model, and driver and executors find it by its file name.
    Path specDir = Files.createDirectories(work.resolve("spec"));
    Path spec = specDir.resolve("breast_cancer.yaml");
    Files.copy(TestData.sample("specs/breast_cancer.yaml"), spec);
    assertTrue(!Files.exists(specDir.resolve("../models/breast_cancer_logreg.onnx")));
    Path out = work.resolve("predictions");
    SparkSubmitter.Result r =
        SparkSubmitter.submit(
            work,
            List.of(
                "--master",
                "local[2]",
                "--files",
                TestData.sample("models/breast_cancer_logreg.onnx").toString()),
            jobArgs(spec, TestData.sample("data/breast_cancer.parquet"), out, "2026-11-24"));
    assertEquals(0, r.code(), r.stderr());
    assertEquals(569, parquetRows(out.resolve("run_date=2026-11-24")));
  }

  @Test
  void onAMultiProcessClusterEachExecutorLoadsTheModelOnceAndTheOutputIsComplete()
      throws Exception {
    Path out = work.resolve("predictions");
    SparkSubmitter.Result r =
        SparkSubmitter.submit(
            work,
            List.of(
                "--master",
                "local-cluster[2,1,1024]",
                "--conf",
                "spark.scheduler.minRegisteredResourcesRatio=1.0",
                "--conf",
                "spark.scheduler.maxRegisteredResourcesWaitingTime=120s"),
            jobArgs(out, "2026-11-24"));
    assertEquals(0, r.code(), r.stderr());
    assertEquals(1000, parquetRows(out.resolve("run_date=2026-11-24")));
    JsonNode report =
        new ObjectMapper()
            .readTree(out.resolve("_reports/run_date=2026-11-24/report.json").toFile());
    JsonNode loads = report.get("modelLoadsByExecutor");
    assertEquals(2, loads.size(), "both executor JVMs scored: " + loads);
    for (Iterator<Map.Entry<String, JsonNode>> it = loads.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      assertEquals(1, e.getValue().asLong(), "executor " + e.getKey() + " loaded the model once");
      assertTrue(!e.getKey().equals("driver"));
    }
    assertTrue(report.get("batchLatencyMs").get("batches").asLong() >= 16);
  }
}
