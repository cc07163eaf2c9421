package io.batchscore.spark;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs the job jar through Spark's own submit entry point ({@code
 * org.apache.spark.deploy.SparkSubmit}) in a child JVM, exactly as {@code spark-submit} would, with
 * a SPARK_HOME whose {@code jars/} links Spark's runtime jars (from this test's classpath, less our
 * code and what the job jar carries). Where the line's distribution ships other versions than the
 * test classpath holds (Spark 3.5's older datasketches), the build puts them in the folder {@code
 * batchscore.spark.distribution.jars} names, and they replace the classpath's.
 */
final class SparkSubmitter {
  /** Jars the job jar carries itself, or test-only jars: not part of a Spark distribution. */
  private static final Set<String> NOT_SPARK =
      Set.of(
          "onnxruntime",
          "picocli",
          "jackson-dataformat-yaml",
          "junit",
          "opentest4j",
          "apiguardian",
          "scoring-core",
          "spark-job",
          "cli");

  record Result(int code, String stdout, String stderr, Path sparkHome) {}

  private SparkSubmitter() {}

  static Path sparkHome(Path dir) throws IOException {
    Path jars = dir.resolve("jars");
    Files.createDirectories(jars);
    List<Path> distribution = new ArrayList<>();
    String own = System.getProperty("batchscore.spark.distribution.jars");
    if (own != null) {
      try (var s = Files.list(Path.of(own))) {
        s.filter(p -> p.toString().endsWith(".jar")).forEach(distribution::add);
      }
    }
    List<String> replaced =
        distribution.stream()
            .map(p -> p.getFileName().toString().replaceAll("-[0-9][^-]*\\.jar$", "-"))
            .toList();
    List<Path> entries = new ArrayList<>(distribution);
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      entries.add(Path.of(entry));
    }
    for (Path p : entries) {
      String name = p.getFileName().toString();
      if (!name.endsWith(".jar")
          || NOT_SPARK.stream().anyMatch(name::startsWith)
          || (!distribution.contains(p) && replaced.stream().anyMatch(name::startsWith))) {
        continue;
      }
      Path link = jars.resolve(name);
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, p.toAbsolutePath());
      }
    }
    return dir;
  }

  static Result submit(Path work, List<String> sparkArgs, List<String> jobArgs) throws Exception {
    Path home = sparkHome(work.resolve("spark-home"));
    String opens = System.getProperty("batchscore.spark.opens", "");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(opens.trim().split("\\s+")));
    cmd.addAll(List.of("-Xmx1g", "-XX:+UseParallelGC", "-Dai.djl.offline=true"));
    cmd.addAll(
        List.of(
            "-cp",
            home.resolve("jars") + File.separator + "*",
            "org.apache.spark.deploy.SparkSubmit"));
    cmd.addAll(
        List.of(
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.driver.host=127.0.0.1",
            "--conf",
            "spark.driver.bindAddress=127.0.0.1",
            "--conf",
            "spark.executor.extraJavaOptions="
                + opens
                + " -Dai.djl.offline=true -XX:+UseParallelGC"));
    cmd.addAll(sparkArgs);
    cmd.addAll(
        List.of(
            "--class",
            "io.batchscore.spark.job.ScoringJob",
            System.getProperty("batchscore.job.jar")));
    cmd.addAll(jobArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment()
        .put("SPARK_SCALA_VERSION", System.getProperty("batchscore.scala.binary.version", "2.13"));
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("OPT_OUT_TRACKING", "true");
    Path out = work.resolve("submit.out");
    Path err = work.resolve("submit.err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("spark-submit did not finish in 5 minutes; see " + err);
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err), home);
  }
}
