package io.batchscore.core;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Paths of the repository's sample data and small CSV reading for tests. */
public final class TestData {
  private TestData() {}

  public static Path repoRoot() {
    String prop = System.getProperty("batchscore.repo.root");
    if (prop != null && Files.isDirectory(Path.of(prop, "sample-data"))) {
      return Path.of(prop);
    }
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("sample-data"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find the repository root (sample-data/)");
    }
    return p;
  }

  public static Path sample(String relative) {
    return repoRoot().resolve("sample-data").resolve(relative);
  }

  public static Path fixture(String name) {
    return repoRoot().resolve("scoring-core/src/test/resources/fixtures").resolve(name);
  }

  /** A numeric CSV: header names, then rows of numbers. */
  public record Table(List<String> header, double[][] rows) {
    public int col(String name) {
      int i = header.indexOf(name);
      if (i < 0) {
        throw new IllegalArgumentException("no column " + name);
      }
      return i;
    }

    public double get(int row, String name) {
      return rows[row][col(name)];
    }
  }

  public static Table readCsv(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      List<String> header = List.of(lines.get(0).split(","));
      double[][] rows = new double[lines.size() - 1][];
      for (int i = 1; i < lines.size(); i++) {
        String[] parts = lines.get(i).split(",");
        rows[i - 1] = new double[parts.length];
        for (int j = 0; j < parts.length; j++) {
          rows[i - 1][j] = Double.parseDouble(parts[j]);
        }
      }
      return new Table(new ArrayList<>(header), rows);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A batch with {@code id} as int64 and every other column (but target) as float. */
  public static ColumnBatch batch(Table t) {
    int n = t.rows().length;
    ColumnBatch.Builder b = ColumnBatch.builder(n);
    for (int j = 0; j < t.header().size(); j++) {
      String name = t.header().get(j);
      if (name.equals("target")) {
        continue;
      }
      if (name.equals("id")) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = (long) t.rows()[i][j];
        }
        b.add(name, Column.ofLongs(v));
      } else {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = (float) t.rows()[i][j];
        }
        b.add(name, Column.ofFloats(v));
      }
    }
    return b.build();
  }
}
