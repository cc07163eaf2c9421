package io.batchscore.io;

import java.nio.file.Path;
import java.util.Locale;

/** The local file formats of {@code batchscore score}. */
public enum Formats {
  PARQUET,
  CSV;

  /** The format named, or guessed from the file name (a folder counts as Parquet part files). */
  public static Formats of(String given, Path file) {
    if (given != null) {
      return Formats.valueOf(given.trim().toUpperCase(Locale.ROOT));
    }
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".csv") || n.endsWith(".csv.gz") || n.endsWith(".tsv")) {
      return CSV;
    }
    return PARQUET;
  }
}
