package io.batchscore.core.spec;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * A model scored in the same pass as the spec's own model (the champion), from the spec's {@code
 * challengers} section.
 *
 * <p>Its {@link #spec() spec} is the champion's with what the section names replaced (model,
 * version, SHA-256, engine, inputs, outputs), so a challenger that differs only in its model file
 * is one line. It has no passthrough columns, monitoring or challengers of its own.
 *
 * @param name the challenger's name, unique in the spec (reports, the {@code served_by} column)
 * @param mode how its predictions are published
 * @param share for a canary, the share of rows it serves, in [0, 1]; 0 for a shadow
 * @param key for a canary, the column whose hash picks the rows it serves; null for a shadow
 * @param prefix for a shadow, what its prediction columns' names start with ({@code <name>_} unless
 *     set); null for a canary
 * @param spec the champion's spec with the challenger's model, inputs and outputs
 */
public record Challenger(
    String name, Mode mode, double share, String key, String prefix, ScoringSpec spec)
    implements Serializable {

  /** How a challenger's predictions are published. */
  public enum Mode {
    /**
     * Scored on every row; its prediction columns are written beside the champion's, under their
     * names with the challenger's prefix. The published predictions stay the champion's.
     */
    SHADOW,
    /**
     * Serves a fixed share of rows, picked from a hash of the key column: on those rows its
     * predictions are the published ones, and {@code served_by} names it.
     */
    CANARY;

    /** The name a spec uses: {@code shadow}, {@code canary}. */
    public String specName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a spec's mode.
     *
     * @throws IllegalArgumentException not one of shadow, canary
     */
    public static Mode parse(String s) {
      for (Mode m : values()) {
        if (m.specName().equals(s)) {
          return m;
        }
      }
      throw new IllegalArgumentException("'" + s + "' is not one of shadow, canary");
    }
  }

  /** The column a canary's rows are named in: the name of the model that served each row. */
  public static final String SERVED_BY = "served_by";

  public Challenger {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(spec, "spec");
    if (mode == Mode.SHADOW && prefix == null) {
      prefix = name + "_";
    }
  }

  /** A shadow challenger: every row, its columns named {@code prefix + column}. */
  public static Challenger shadow(String name, String prefix, ScoringSpec spec) {
    return new Challenger(name, Mode.SHADOW, 0, null, prefix, spec);
  }

  /** A canary challenger: the rows whose key hashes into its share. */
  public static Challenger canary(String name, double share, String key, ScoringSpec spec) {
    return new Challenger(name, Mode.CANARY, share, key, null, spec);
  }

  /** The name the challenger's prediction column {@code column} is published under. */
  public String publishedName(String column) {
    return mode == Mode.SHADOW ? prefix + column : column;
  }
}
