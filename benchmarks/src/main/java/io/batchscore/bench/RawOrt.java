package io.batchscore.bench;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.batchscore.core.Models;
import io.batchscore.core.spec.ScoringSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The limit every in-memory path is measured against: ONNX Runtime used as well as it can be from
 * Java. Per caller, one direct input buffer and its {@link OnnxTensor} made once, every output
 * pinned into a direct buffer made once, and per batch one bulk copy of row-major floats into the
 * input. Same thread settings as batchscore's sessions (no spinning).
 *
 * <p>{@code threads} cores are used either by one caller whose session has that many intra-op
 * threads, or by {@code callers} callers on one shared session with {@code threads / callers}
 * intra-op threads each, each taking the next whole batch when it is free. Which is faster depends
 * on the model; the harness measures both and takes the better as the limit.
 */
public final class RawOrt implements AutoCloseable {
  private final OrtSession.SessionOptions options;
  private final OrtSession session;
  private final int batch;
  private final int width;
  private final Caller[] callers;
  private final ExecutorService pool;

  /** One caller with {@code threads} intra-op threads. */
  public RawOrt(ScoringSpec spec, int width, int threads) throws OrtException {
    this(spec, width, threads, 1);
  }

  /**
   * {@code callers} callers sharing one session, {@code threads / callers} intra-op threads each.
   */
  public RawOrt(ScoringSpec spec, int width, int threads, int callers) throws OrtException {
    this(spec, width, threads, callers, spec.batchSize());
  }

  /** The same, in batches of {@code batch} rows instead of the spec's batch size. */
  public RawOrt(ScoringSpec spec, int width, int threads, int callers, int batch)
      throws OrtException {
    OrtEnvironment env = environment();
    this.batch = batch;
    this.width = width;
    options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(Math.max(1, threads / callers));
    options.setInterOpNumThreads(1);
    options.addConfigEntry("session.intra_op.allow_spinning", "0");
    session = env.createSession(spec.resolvedModelPath().toString(), options);
    this.callers = new Caller[callers];
    for (int i = 0; i < callers; i++) {
      this.callers[i] = new Caller(env);
    }
    pool =
        callers == 1
            ? null
            : Executors.newFixedThreadPool(
                callers - 1,
                r -> {
                  Thread t = new Thread(r, "raw-ort-caller");
                  t.setDaemon(true);
                  return t;
                });
  }

  /**
   * Scores every whole batch of the first {@code rows} rows of {@code data}; returns rows scored.
   */
  public int scoreAll(float[] data, int rows) throws Exception {
    return all(data, rows, null);
  }

  /**
   * {@link #scoreAll}, plus the work any caller of ONNX Runtime must add and batchscore does: a NaN
   * check of each batch's input (the spec's null policy) and the outputs kept, copied from the
   * pinned tensors into result arrays for all the rows. Tells the limit apart from the overhead.
   */
  public int scoreAllKeepingOutputs(float[] data, int rows) throws Exception {
    Map<String, float[]> kept = new HashMap<>();
    for (var e : callers[0].pinned.entrySet()) {
      if (e.getValue().getInfo().type == OnnxJavaType.FLOAT) {
        kept.put(
            e.getKey(), new float[rows / batch * (int) e.getValue().getInfo().getNumElements()]);
      }
    }
    return all(data, rows, kept);
  }

  /**
   * The whole job of the tabular sample specs written by hand against ONNX Runtime: the features
   * from {@code columns} (one float array per feature, what a columnar reader holds) transposed
   * into the input in blocks of rows that fit the L1 cache, NaN looked for in the same loop, and
   * the spec's three outputs kept for every row: the label ({@code output_label}), the positive
   * class's probability (column 1 of {@code output_probability}) and the argmax's class name from
   * {@code labels}. What a careful user would write to get the same columns without batchscore: the
   * limit for any library doing this job.
   */
  public int scoreAllFromColumns(float[][] columns, int rows, String[] labels) throws Exception {
    int batches = rows / batch;
    Kept kept =
        new Kept(
            new long[batches * batch],
            new float[batches * batch],
            new String[batches * batch],
            labels);
    return onCallers((c, next) -> c.runFromColumns(columns, batches, next, kept));
  }

  /** The hand-written job's result columns. */
  private record Kept(long[] label, float[] positive, String[] className, String[] labels) {}

  /**
   * Callers take the next batch from a shared counter (so a caller on a slower core takes fewer, as
   * scoring-core's lanes do); the calling thread is caller 0.
   */
  private int all(float[] data, int rows, Map<String, float[]> kept) throws Exception {
    int batches = rows / batch;
    return onCallers((c, next) -> c.run(data, batches, next, kept));
  }

  /** What one caller does with the shared batch counter; returns the rows it scored. */
  private interface Work {
    int run(Caller c, AtomicInteger next) throws Exception;
  }

  /**
   * Runs {@code work} on every caller at once (caller 0 on this thread); returns the rows scored.
   */
  private int onCallers(Work work) throws Exception {
    AtomicInteger next = new AtomicInteger();
    List<Future<Integer>> others = new ArrayList<>();
    for (int k = 1; k < callers.length; k++) {
      Caller c = callers[k];
      others.add(pool.submit(() -> work.run(c, next)));
    }
    int done = work.run(callers[0], next);
    for (Future<Integer> f : others) {
      done += f.get();
    }
    return done;
  }

  /** One thread's input and pinned outputs. */
  private final class Caller {
    final FloatBuffer in;
    final OnnxTensor input;
    final Map<String, OnnxTensor> feed;
    final Map<String, OnnxTensor> pinned = new HashMap<>();

    /** The float outputs' direct buffers, which ONNX Runtime writes into. */
    final Map<String, FloatBuffer> floats = new HashMap<>();

    /** The int64 outputs' direct buffers. */
    final Map<String, LongBuffer> longs = new HashMap<>();

    Caller(OrtEnvironment env) throws OrtException {
      for (var e : session.getOutputInfo().entrySet()) {
        TensorInfo ti = (TensorInfo) e.getValue().getInfo();
        long[] shape = ti.getShape();
        shape[0] = batch;
        int n = 1;
        for (long d : shape) {
          n *= (int) d;
        }
        boolean int64 = ti.type == OnnxJavaType.INT64;
        ByteBuffer buf =
            ByteBuffer.allocateDirect(n * (int64 ? 8 : 4)).order(ByteOrder.nativeOrder());
        if (int64) {
          longs.put(e.getKey(), buf.asLongBuffer());
          pinned.put(e.getKey(), OnnxTensor.createTensor(env, longs.get(e.getKey()), shape));
        } else {
          floats.put(e.getKey(), buf.asFloatBuffer());
          pinned.put(e.getKey(), OnnxTensor.createTensor(env, floats.get(e.getKey()), shape));
        }
      }
      long[] inShape = width == 784 ? new long[] {batch, 1, 28, 28} : new long[] {batch, width};
      in =
          ByteBuffer.allocateDirect(batch * width * 4)
              .order(ByteOrder.nativeOrder())
              .asFloatBuffer();
      input = OnnxTensor.createTensor(env, in, inShape);
      feed = Map.of(session.getInputNames().iterator().next(), input);
    }

    /**
     * Scores the batches it takes from {@code next}; with {@code kept}, checks NaN and keeps
     * outputs.
     */
    int run(float[] data, int batches, AtomicInteger next, Map<String, float[]> kept)
        throws OrtException {
      int done = 0;
      boolean nan = false;
      for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
        int off = b * batch;
        in.put(0, data, off * width, batch * width);
        if (kept != null) {
          nan |= hasNonFinite(data, off * width, (off + batch) * width);
        }
        try (OrtSession.Result r = session.run(feed, Set.of(), pinned)) {
          if (kept != null) {
            for (var e : kept.entrySet()) {
              float[] out = e.getValue();
              int per = out.length / batches;
              floats.get(e.getKey()).get(0, out, b * per, per);
            }
          }
          done += batch;
        }
      }
      if (nan) {
        throw new IllegalStateException("the benchmark's data has NaN");
      }
      return done;
    }

    /** One caller's part of {@link #scoreAllFromColumns}. */
    int runFromColumns(float[][] columns, int batches, AtomicInteger next, Kept kept)
        throws OrtException {
      int k = columns.length;
      int block = Math.max(1, 4096 / k);
      float[] scratch = new float[block * k];
      LongBuffer label = longs.get("output_label");
      FloatBuffer probability = floats.get("output_probability");
      int classes = (int) (pinned.get("output_probability").getInfo().getNumElements() / batch);
      int done = 0;
      boolean nan = false;
      for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
        int off = b * batch;
        for (int r = off; r < off + batch; r += block) {
          int e = Math.min(off + batch, r + block);
          for (int j = 0; j < k; j++) {
            float[] v = columns[j];
            for (int i = r, pos = j; i < e; i++, pos += k) {
              float x = v[i];
              scratch[pos] = x;
              nan |= x != x;
            }
          }
          in.put((r - off) * k, scratch, 0, (e - r) * k);
        }
        try (OrtSession.Result res = session.run(feed, Set.of(), pinned)) {
          label.get(0, kept.label(), off, batch);
          for (int i = 0; i < batch; i++) {
            int best = 0;
            float max = probability.get(i * classes);
            for (int c = 1; c < classes; c++) {
              float p = probability.get(i * classes + c);
              if (p > max) {
                max = p;
                best = c;
              }
            }
            kept.positive()[off + i] = probability.get(i * classes + 1);
            kept.className()[off + i] = kept.labels()[best];
          }
          done += batch;
        }
      }
      if (nan) {
        throw new IllegalStateException("the benchmark's data has NaN");
      }
      return done;
    }

    void close() {
      input.close();
      pinned.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public void close() throws Exception {
    if (pool != null) {
      pool.shutdownNow();
    }
    for (Caller c : callers) {
      c.close();
    }
    session.close();
    options.close();
  }

  /**
   * The process's ONNX Runtime environment, got the way code beside batchscore gets it: once
   * scoring-core has started it (it lets DJL's engine create it, with DJL's options), ONNX Runtime
   * hands out that same instance.
   */
  static OrtEnvironment environment() {
    try {
      Models.inspect(TabularBenchmark.home.resolve("sample-data/models/breast_cancer_logreg.onnx"));
    } catch (io.batchscore.core.model.ModelLoadException e) {
      throw new IllegalStateException(e);
    }
    return OrtEnvironment.getEnvironment();
  }

  /** ONNX Runtime's version. */
  static String version() {
    return environment().getVersion();
  }

  /**
   * Whether {@code v[from, to)} holds NaN or an infinity, as a careful user writes it: eight
   * independent sums of {@code x * 0} (0 for every finite x, NaN otherwise), which the JIT keeps in
   * registers, and an exact loop only when the sum is NaN.
   */
  static boolean hasNonFinite(float[] v, int from, int to) {
    float[] lane = new float[8];
    int i = from;
    for (; i + 7 < to; i += 8) {
      for (int k = 0; k < 8; k++) {
        lane[k] += v[i + k] * 0f;
      }
    }
    float sum = 0;
    for (; i < to; i++) {
      sum += v[i] * 0f;
    }
    for (float l : lane) {
      sum += l;
    }
    if (sum == sum) {
      return false;
    }
    for (i = from; i < to; i++) {
      if (v[i] - v[i] != 0) {
        return true;
      }
    }
    return false;
  }
}
