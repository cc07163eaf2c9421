package io.batchscore.cli;

import io.batchscore.core.column.ElementType;
import io.batchscore.core.model.ModelSignature;
import io.batchscore.core.spec.Challenger;
import io.batchscore.core.spec.InputBinding;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.io.CsvTableReader;
import io.batchscore.io.Formats;
import io.batchscore.io.ParquetTableReader;
import io.batchscore.io.TableReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Opens a local input file for a spec and model, reading only the columns the spec names. */
final class LocalInput {
  private LocalInput() {}

  /**
   * Whether opening {@code file} needs the model's signature: a CSV file takes its features' types
   * from it.
   */
  static boolean needsSignature(Path file, String format) {
    return Formats.of(format, file) == Formats.CSV;
  }

  /**
   * @param sig the model's signature; only a CSV input needs it (may be null otherwise)
   */
  static TableReader open(Path file, String format, ScoringSpec spec, ModelSignature sig)
      throws IOException {
    List<String> wanted = new ArrayList<>(spec.readColumns());
    for (String p : spec.passthrough()) {
      if (!wanted.contains(p)) {
        wanted.add(p);
      }
    }
    if (needsSignature(file, format)) {
      Map<String, ElementType> types = new LinkedHashMap<>();
      for (String p : spec.passthrough()) {
        types.put(p, null); // inferred from the first rows
      }
      if (spec.text() != null) {
        types.put(spec.text().column(), ElementType.STRING);
      }
      for (InputBinding b : spec.inputs()) {
        ElementType t =
            sig.input(b.input()) == null ? ElementType.DOUBLE : sig.input(b.input()).elementType();
        for (String c : b.columns()) {
          types.put(c, t);
        }
      }
      // A challenger's other columns: as the champion's input of the same name takes them (models
      // compared in one pass usually share their inputs), else as doubles; a canary key inferred.
      for (Challenger ch : spec.challengers()) {
        for (InputBinding b : ch.spec().inputs()) {
          ElementType t =
              sig.input(b.input()) == null
                  ? ElementType.DOUBLE
                  : sig.input(b.input()).elementType();
          for (String c : b.columns()) {
            types.putIfAbsent(c, t);
          }
        }
        if (ch.key() != null) {
          types.putIfAbsent(ch.key(), null);
        }
      }
      return new CsvTableReader(file, types);
    }
    return new ParquetTableReader(file, wanted);
  }
}
