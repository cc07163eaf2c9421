package io.batchscore.core.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * 10,000 batches through each sample tabular model, in a JVM of its own with a fixed, pre-touched
 * heap, so that what grows in its resident set is native memory: ONNX Runtime's (or DJL's) values
 * that were never released. The resident set after the last batch may exceed that after the first
 * fifth of them by at most {@link #BOUND_MB} MB. A runner that kept one ZipMap per row grew by ~330
 * bytes a row: 8,000 batches of 200 rows, ~500 MB; DJL's engine given the ZipMap itself grew ~560
 * bytes a row.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "reads the resident set from /proc/self/status")
class NativeMemorySoakTest {
  static final int BATCHES = 10_000;
  static final int ROWS = 200;
  static final long BOUND_MB = 48;

  @ParameterizedTest(name = "{0} on {2}")
  @CsvSource({
    "wine_forest.yaml, wine.csv, ort",
    "wine_forest.yaml, wine.csv, djl",
    "breast_cancer_mlp.yaml, breast_cancer.csv, djl",
    "breast_cancer.yaml, breast_cancer.csv, ort",
    "breast_cancer_mlp.yaml, breast_cancer.csv, ort",
  })
  void residentMemoryStaysFlatOverTenThousandBatches(String spec, String data, String engine)
      throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m",
                "-Xmx256m",
                "-XX:+AlwaysPreTouch",
                "-XX:+UseSerialGC",
                "-XX:MaxDirectMemorySize=128m",
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                SoakMain.class.getName(),
                TestData.sample("specs/" + spec).toString(),
                TestData.sample("data/" + data).toString(),
                engine,
                Integer.toString(ROWS),
                Integer.toString(BATCHES)));
    Path log = Files.createTempFile("soak-", ".log");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("OPT_OUT_TRACKING", "true");
      Process p = pb.start();
      boolean finished = p.waitFor(5, TimeUnit.MINUTES);
      if (!finished) {
        p.destroyForcibly();
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertTrue(finished, "soak finished within 5 minutes:\n" + out);
      assertEquals(0, p.exitValue(), out);
      long[] rss = rss(out);
      long growthMb = (rss[1] - rss[0]) / 1024;
      System.out.printf(
          "%s on %s: resident set %d MB after %d batches, %d MB after %d%n",
          spec, engine, rss[0] / 1024, BATCHES / 5, rss[1] / 1024, BATCHES);
      assertTrue(out.contains("scored " + (long) BATCHES * ROWS), out);
      assertTrue(
          growthMb <= BOUND_MB,
          spec
              + " on "
              + engine
              + ": resident set grew "
              + growthMb
              + " MB over "
              + (BATCHES - BATCHES / 5)
              + " batches of "
              + ROWS
              + " rows (bound "
              + BOUND_MB
              + " MB):\n"
              + out);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static long[] rss(String out) throws IOException {
    long[] kb = new long[2];
    int n = 0;
    for (String line : out.split("\n")) {
      if (line.startsWith("rss ")) {
        kb[n++] = Long.parseLong(line.split(" ")[2].trim());
      }
    }
    assertEquals(2, n, "two resident-set readings:\n" + out);
    return kb;
  }
}
