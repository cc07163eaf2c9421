package io.batchscore.core;

import io.batchscore.core.model.ModelSignature;
import io.batchscore.core.model.ValueInfo;
import io.batchscore.core.spec.InputBinding;
import io.batchscore.core.spec.OutputBinding;
import io.batchscore.core.spec.Problem;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.core.spec.TextConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Whether a batch of the spec's size fits in memory, checked when the spec is bound. */
final class BatchMemory {
  private BatchMemory() {}

  /** The largest tensor a batch may hold: what one Java buffer can address. */
  static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE;

  /**
   * A batch must fit in memory: its rows' columns, input tensors, outputs and result columns may
   * take at most a quarter of {@code maxMemory} (the JVM's maximum heap, which also caps its direct
   * buffers by default; a caller holds more than one batch at a time: read ahead, being scored,
   * being written), and no tensor may exceed {@link #MAX_TENSOR_BYTES}. Dimensions the model leaves
   * open count as the spec's columns or shape, else as 1: a row's size is never overestimated, and
   * the quarter is the margin left for the rest of the process.
   */
  static void check(ScoringSpec spec, ModelSignature model, long maxMemory, List<Problem> p) {
    long perRow = 0;
    long largestTensorPerRow = 0;
    StringBuilder what = new StringBuilder();
    for (InputBinding b : spec.inputs()) {
      ValueInfo in = model.input(b.input());
      if (in == null) {
        continue;
      }
      long e = in.elementsPerRow();
      if (e < 0) {
        e = b.fromColumnList() ? b.columns().size() : b.shape() != null ? product(b.shape()) : 1;
      }
      int size = Math.max(1, in.elementType().byteSize());
      perRow += e * (8 + size); // the caller's column values and the tensor
      largestTensorPerRow = Math.max(largestTensorPerRow, e * size);
      what.append(what.length() == 0 ? "" : ", ")
          .append(b.input())
          .append(": ")
          .append(e)
          .append(e == 1 ? " value" : " values");
    }
    if (spec.text() != null) {
      int len =
          spec.text().maxLength() == TextConfig.FROM_TOKENIZER
              ? TextConfig.DEFAULT_MAX_LENGTH
              : spec.text().maxLength();
      perRow += 3L * len * 8 + 256;
      largestTensorPerRow = Math.max(largestTensorPerRow, len * 8L);
      what.append(what.length() == 0 ? "" : ", ").append("text: ").append(len).append(" tokens");
    }
    Set<String> fetched = new HashSet<>();
    for (OutputBinding o : spec.outputs()) {
      ValueInfo out = model.output(o.output());
      if (out == null || !fetched.add(o.output())) {
        continue;
      }
      long e =
          out.kind() == ValueInfo.Kind.SEQUENCE_OF_MAPS ? 8 : Math.max(1, out.elementsPerRow());
      perRow += e * (8 + Math.max(4, out.elementType().byteSize())); // the output and its column
      largestTensorPerRow =
          Math.max(largestTensorPerRow, e * Math.max(1, out.elementType().byteSize()));
    }
    long rows = spec.batchSize();
    if (perRow == 0 || rows < 1) {
      return;
    }
    long budget = maxMemory / 4;
    long fit =
        Math.max(1, Math.min(budget / perRow, MAX_TENSOR_BYTES / Math.max(1, largestTensorPerRow)));
    if (rows > fit) {
      p.add(
          new Problem(
              "batchSize",
              String.format(
                  java.util.Locale.ROOT,
                  "%,d rows a batch need about %s (%s a row; %s), more than %s; at most %,d rows fit here."
                      + " Lower batchSize (a few thousand rows is usual) or give the JVM more memory (-Xmx)",
                  rows,
                  bytes(perRow * (double) rows),
                  bytes(perRow),
                  what,
                  rows * largestTensorPerRow > MAX_TENSOR_BYTES
                      ? "the 2 GiB one tensor can hold"
                      : "a quarter of this JVM's " + bytes(maxMemory) + " maximum heap",
                  fit)));
    }
  }

  private static long product(int[] dims) {
    long n = 1;
    for (int d : dims) {
      n *= Math.max(1, d);
    }
    return n;
  }

  private static String bytes(double b) {
    String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (b >= 1024 && u < units.length - 1) {
      b /= 1024;
      u++;
    }
    return u == 0
        ? String.format(java.util.Locale.ROOT, "%.0f %s", b, units[u])
        : String.format(java.util.Locale.ROOT, "%.1f %s", b, units[u]);
  }
}
