package io.batchscore.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.TestData;
import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.ColumnType;
import io.batchscore.core.column.ElementType;
import io.batchscore.io.ParquetTableReader;
import io.batchscore.io.ParquetTableWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Helpers for tests that run bin/batchscore in child processes and stop them mid-run. */
final class ChildRuns {
  private ChildRuns() {}

  /** The 569-row breast-cancer sample {@code copies} times over in one file, ids renumbered. */
  static Path bigInput(Path dir, int copies) throws IOException {
    return bigInput(dir, copies, false);
  }

  /**
   * The same; with {@code distinct}, each copy's features moved a little, so no column's values
   * repeat: dictionaries give up and the file is as large as real data of this many rows.
   */
  static Path bigInput(Path dir, int copies, boolean distinct) throws IOException {
    Path in = dir.resolve("big.parquet");
    ColumnBatch sample;
    List<ParquetTableWriter.OutputField> fields = new ArrayList<>();
    try (ParquetTableReader r =
        new ParquetTableReader(TestData.sample("data/breast_cancer.parquet"), null)) {
      sample = r.next(10_000);
      r.parquetSchema()
          .getFields()
          .forEach(t -> fields.add(new ParquetTableWriter.OutputField(t.getName(), null, t, true)));
    }
    try (ParquetTableWriter w = new ParquetTableWriter(in, fields)) {
      for (int c = 0; c < copies; c++) {
        long[] ids = java.util.Arrays.copyOf((sample.column("id")).longs(), sample.rowCount());
        for (int i = 0; i < ids.length; i++) {
          ids[i] += (long) c * sample.rowCount();
        }
        ColumnBatch.Builder b = ColumnBatch.builder(sample.rowCount());
        double shift = distinct ? c * 1e-7 : 0;
        for (var e : sample.columns().entrySet()) {
          b.add(
              e.getKey(),
              e.getKey().equals("id")
                  ? Column.ofLongs(ids)
                  : e.getValue().type().equals(ColumnType.scalar(ElementType.DOUBLE)) && shift != 0
                      ? shifted(e.getValue(), shift)
                      : e.getValue());
        }
        w.write(b.build());
      }
    }
    return in;
  }

  private static Column shifted(Column d, double by) {
    double[] v = new double[d.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = d.getDouble(i) + by;
    }
    return Column.ofDoubles(v);
  }

  /** The rows of a partition folder, failing on a duplicate id. */
  static long rows(Path partition) throws IOException {
    long n = 0;
    try (ParquetTableReader r = new ParquetTableReader(partition, List.of("id"))) {
      ColumnBatch b;
      java.util.Set<Long> ids = new java.util.HashSet<>();
      while ((b = r.next(65_536)) != null) {
        for (int i = 0; i < b.rowCount(); i++) {
          assertTrue(ids.add((b.column("id")).getLong(i)), "duplicate id");
        }
        n += b.rowCount();
      }
    }
    return n;
  }

  /** A thread dump of the process, which is then killed: for a failure message. */
  static String threadDump(Process p) {
    try {
      Process j =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
                  Long.toString(p.pid()))
              .redirectErrorStream(true)
              .start();
      String dump =
          new String(j.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      p.destroyForcibly();
      return dump;
    } catch (IOException e) {
      return "(no thread dump: " + e.getMessage() + ")";
    }
  }

  /** Waits until a run has started writing part files into the output's staging folder. */
  static void waitForStaging(Path out, Process p) throws Exception {
    for (int i = 0; i < 1200; i++) {
      Path staging = out.resolve("_staging");
      if (Files.isDirectory(staging)) {
        try (Stream<Path> s = Files.walk(staging)) {
          if (s.anyMatch(
              f ->
                  f.getFileName().toString().startsWith("part-")
                      || f.getFileName().toString().startsWith("_temporary"))) {
            return;
          }
        }
      }
      assertTrue(p.isAlive(), "the process exited before a run started writing");
      Thread.sleep(50);
    }
    throw new AssertionError("no run started writing within a minute");
  }
}
