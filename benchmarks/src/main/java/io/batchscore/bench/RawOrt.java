package io.batchscore.bench;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.batchscore.core.engine.ort.OrtRuntime;
import io.batchscore.core.spec.ScoringSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The limit every in-memory path is measured against: ONNX Runtime used as well as it can be
 * from Java. One direct input buffer and its {@link OnnxTensor} made once, every output pinned
 * into a direct buffer made once, and per batch one bulk copy of row-major floats into the input.
 * Same thread settings as batchscore's sessions (intra-op threads as given, no spinning).
 */
public final class RawOrt implements AutoCloseable {
  private final OrtSession.SessionOptions options;
  private final OrtSession session;
  private final int batch;
  private final int width;
  private final FloatBuffer in;
  private final OnnxTensor input;
  private final Map<String, OnnxTensor> feed;
  private final Map<String, OnnxTensor> pinned = new HashMap<>();
  private final List<AutoCloseable> close = new ArrayList<>();

  /** A session for the spec's model, batches of the spec's batch size, {@code width} floats a row. */
  public RawOrt(ScoringSpec spec, int width, int threads) throws OrtException {
    OrtEnvironment env = OrtRuntime.env();
    batch = spec.batchSize();
    this.width = width;
    options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(threads);
    options.setInterOpNumThreads(1);
    options.addConfigEntry("session.intra_op.allow_spinning", "0");
    session = env.createSession(spec.resolvedModelPath().toString(), options);
    for (var e : session.getOutputInfo().entrySet()) {
      TensorInfo ti = (TensorInfo) e.getValue().getInfo();
      long[] shape = ti.getShape();
      shape[0] = batch;
      int n = 1;
      for (long d : shape) {
        n *= (int) d;
      }
      boolean int64 = ti.type == OnnxJavaType.INT64;
      ByteBuffer buf = ByteBuffer.allocateDirect(n * (int64 ? 8 : 4)).order(ByteOrder.nativeOrder());
      OnnxTensor t = int64
          ? OnnxTensor.createTensor(env, buf.asLongBuffer(), shape)
          : OnnxTensor.createTensor(env, buf.asFloatBuffer(), shape);
      pinned.put(e.getKey(), t);
      close.add(t);
    }
    long[] inShape = width == 784 ? new long[] {batch, 1, 28, 28} : new long[] {batch, width};
    in = ByteBuffer.allocateDirect(batch * width * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    input = OnnxTensor.createTensor(env, in, inShape);
    feed = Map.of(session.getInputNames().iterator().next(), input);
  }

  /** Scores every whole batch of the first {@code rows} rows of {@code data}; returns rows scored. */
  public int scoreAll(float[] data, int rows) throws OrtException {
    int done = 0;
    for (int off = 0; off + batch <= rows; off += batch) {
      in.put(0, data, off * width, batch * width);
      try (OrtSession.Result r = session.run(feed, Set.of(), pinned)) {
        done += batch;
      }
    }
    return done;
  }

  /**
   * {@link #scoreAll}, plus the work any caller of ONNX Runtime must add and batchscore does: a
   * NaN check of each batch's input (the spec's null policy) and the outputs kept, copied from the
   * pinned tensors into result arrays for all the rows. Tells the limit apart from the overhead.
   */
  public int scoreAllKeepingOutputs(float[] data, int rows) throws OrtException {
    int done = 0;
    boolean nan = false;
    Map<String, float[]> kept = new HashMap<>();
    for (var e : pinned.entrySet()) {
      if (e.getValue().getInfo().type == OnnxJavaType.FLOAT) {
        kept.put(e.getKey(), new float[rows / batch * (int) e.getValue().getInfo().getNumElements()]);
      }
    }
    for (int off = 0; off + batch <= rows; off += batch) {
      in.put(0, data, off * width, batch * width);
      nan |= io.batchscore.core.impl.NullScan.hasNaN(data, off * width, (off + batch) * width);
      try (OrtSession.Result r = session.run(feed, Set.of(), pinned)) {
        for (var e : kept.entrySet()) {
          float[] out = e.getValue();
          int per = out.length / (rows / batch);
          pinned.get(e.getKey()).getFloatBuffer().get(0, out, off / batch * per, per);
        }
        done += batch;
      }
    }
    if (nan) {
      throw new IllegalStateException("the benchmark's data has NaN");
    }
    return done;
  }

  @Override
  public void close() throws Exception {
    input.close();
    for (AutoCloseable c : close) {
      c.close();
    }
    session.close();
    options.close();
  }
}
