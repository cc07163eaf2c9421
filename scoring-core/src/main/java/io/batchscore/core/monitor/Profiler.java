package io.batchscore.core.monitor;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.ColumnType;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.monitor.ColumnProfile.Kind;
import io.batchscore.core.monitor.ColumnProfile.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link Profile} batch by batch: which columns, and how. A number column is profiled by
 * its values, a label or string column by its values' frequencies, an array column (an embedding,
 * an image) by the L2 norm of each row, a text column by each row's token count. For one thread;
 * merge the profiles of several.
 */
public final class Profiler {
  /** How a column becomes the numbers or labels its profile holds. */
  private enum How {
    VALUES,
    NORM,
    TOKENS
  }

  private record Target(String column, Role role, How how) {}

  private final List<Target> targets;
  private final Profile profile;
  private double[] scratch = new double[0];
  private String[] labels = new String[0];

  private Profiler(List<Target> targets, int parts) {
    this.targets = List.copyOf(targets);
    this.profile =
        new Profile()
            .levelSize(Math.max(SampledQuantiles.MIN_LEVEL, SampledQuantiles.LEVEL / parts));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The profile so far (live: later batches keep adding to it). */
  public Profile profile() {
    return profile;
  }

  /**
   * Profiles the feature columns of a batch of input rows, every row (rows the null policy rejects
   * included: their nulls are what a profile should see), and counts the rows.
   */
  public void addInputs(ColumnBatch batch) {
    profile.addRows(batch.rowCount());
    for (Target t : targets) {
      if (t.role == Role.FEATURE && t.how != How.TOKENS) {
        Column c = batch.column(t.column);
        if (c != null) {
          add(t, c, c.size());
        }
      }
    }
  }

  /**
   * Profiles the prediction columns of scored rows and, for a text model, the token count of each
   * scored row ({@code tokens}, in the rows' order; null otherwise).
   */
  public void addOutputs(ColumnBatch predictions, int[] tokens) {
    for (Target t : targets) {
      if (t.role == Role.PREDICTION) {
        Column c = predictions.column(t.column);
        if (c != null) {
          add(t, c, c.size());
        }
      } else if (t.how == How.TOKENS && tokens != null) {
        double[] v = scratch(predictions.rowCount());
        for (int i = 0; i < predictions.rowCount(); i++) {
          v[i] = tokens[i];
        }
        profile
            .column(t.column, Kind.NUMERIC, t.role, "tokens")
            .addNumbers(v, null, predictions.rowCount());
      }
    }
  }

  private void add(Target t, Column c, int n) {
    ColumnType type = c.type();
    if (t.how == How.NORM || type.isArray()) {
      if (!type.isArray() || !type.element().isNumeric()) {
        return;
      }
      double[] v = scratch(n);
      norms(c, n, v);
      profile.column(t.column, Kind.NUMERIC, t.role, "l2 norm").addNumbers(v, c.nullMask(), n);
      return;
    }
    if (!type.isScalar()) {
      return; // maps (ZipMap probabilities) are profiled through the columns made from them
    }
    ElementType e = type.element();
    if (e == ElementType.FLOAT && c.nullMask() == null) {
      profile.column(t.column, Kind.NUMERIC, t.role, null).addFloats(c.floats(), n, scratch(n));
    } else if (e.isNumeric()) {
      double[] v = scratch(n);
      numbers(c, e, n, v);
      profile.column(t.column, Kind.NUMERIC, t.role, null).addNumbers(v, c.nullMask(), n);
    } else if (e == ElementType.STRING) {
      profile
          .column(t.column, Kind.CATEGORICAL, t.role, null)
          .addLabels(c.strings(), c.nullMask(), n);
    } else if (e == ElementType.BOOL) {
      String[] s = labels(n);
      boolean[] b = c.booleans();
      for (int i = 0; i < n; i++) {
        s[i] = b[i] ? "true" : "false";
      }
      profile.column(t.column, Kind.CATEGORICAL, t.role, null).addLabels(s, c.nullMask(), n);
    }
  }

  private static void numbers(Column c, ElementType e, int n, double[] out) {
    switch (e) {
      case DOUBLE:
        System.arraycopy(c.doubles(), 0, out, 0, n);
        break;
      case FLOAT:
        {
          float[] v = c.floats();
          for (int i = 0; i < n; i++) {
            out[i] = v[i];
          }
          break;
        }
      case INT64:
        {
          long[] v = c.longs();
          for (int i = 0; i < n; i++) {
            out[i] = v[i];
          }
          break;
        }
      default:
        {
          int[] v = c.ints();
          for (int i = 0; i < n; i++) {
            out[i] = v[i];
          }
        }
    }
  }

  /** Each row's L2 norm; a row with a null or NaN element is NaN (counted, not sketched). */
  private static void norms(Column c, int n, double[] out) {
    int[] off = c.offsets();
    Column el = c.elements();
    boolean elementNulls = el.mayHaveNulls();
    for (int r = 0; r < n; r++) {
      double sum = 0;
      for (int j = off[r]; j < off[r + 1]; j++) {
        double x = elementNulls && el.isNull(j) ? Double.NaN : el.getNumber(j);
        sum += x * x;
      }
      out[r] = Math.sqrt(sum);
    }
  }

  private double[] scratch(int n) {
    if (scratch.length < n) {
      scratch = new double[Math.max(n, 1024)];
    }
    return scratch;
  }

  private String[] labels(int n) {
    if (labels.length < n) {
      labels = new String[Math.max(n, 1024)];
    }
    return labels;
  }

  /** Which columns to profile. */
  public static final class Builder {
    private final List<Target> targets = new ArrayList<>();
    private int parts = 1;

    private Builder() {}

    /** A feature column, profiled by its values (numbers, labels) or, for arrays, their norm. */
    public Builder feature(String column) {
      targets.add(new Target(column, Role.FEATURE, How.VALUES));
      return this;
    }

    /** A text feature, profiled by the token count of each scored row. */
    public Builder textTokens(String column) {
      targets.add(new Target(column, Role.FEATURE, How.TOKENS));
      return this;
    }

    /** A prediction column, profiled by its values or, for arrays, their norm. */
    public Builder prediction(String column) {
      targets.add(new Target(column, Role.PREDICTION, How.VALUES));
      return this;
    }

    /**
     * This profile will be one of about {@code parts} of similar size merged into one (a Spark
     * task's, of a stage of that many tasks): its quantiles then sample 1/parts as many values
     * (down to {@value SampledQuantiles#MIN_LEVEL} per level), and the merged profile holds as many
     * as one profile of every row would. Its rank error is what the merged samples give (each
     * column states its own); tasks of very unequal sizes give a larger one. Default 1.
     */
    public Builder parts(int parts) {
      if (parts < 1) {
        throw new IllegalArgumentException("parts must be at least 1, not " + parts);
      }
      this.parts = parts;
      return this;
    }

    public Profiler build() {
      return new Profiler(targets, parts);
    }
  }
}
