package io.batchscore.core.engine.ort;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.engine.EngineException;
import io.batchscore.core.engine.HostTensor;
import io.batchscore.core.engine.HostTensors;
import io.batchscore.core.engine.OutputValue;
import io.batchscore.core.engine.Runner;
import io.batchscore.core.model.ValueInfo;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One thread's view of a shared ONNX Runtime session.
 *
 * <p>Inputs live in direct, native-order buffers that are reused from batch to batch; the {@link
 * OnnxTensor} wrapping a buffer for a given shape is created once and kept (ONNX Runtime wraps a
 * direct buffer without copying, so refilling the buffer refills the tensor). Dense numeric outputs
 * whose shape is known from the batch size are pinned: ONNX Runtime writes them straight into our
 * reused direct buffers. Everything native is closed with the runner.
 */
final class OrtRunner implements Runner {
  /** Tensors kept per input for distinct shapes (full batch, last partial batch, ...). */
  private static final int SHAPES_PER_SLOT = 4;

  private final OrtModelSession owner;
  private final OrtSession session;
  private final Map<String, Slot> inputs = new LinkedHashMap<>();
  private final Map<String, Slot> pinned = new HashMap<>();
  private final Set<String> unpinnable = new HashSet<>();
  private final List<OnnxValue> transient_ = new ArrayList<>();
  private OrtSession.Result lastResult;
  private boolean closed;

  OrtRunner(OrtModelSession owner) {
    this.owner = owner;
    this.session = owner.session();
  }

  @Override
  public HostTensor input(String name, long[] shape) {
    ValueInfo info = owner.signature().input(name);
    if (info == null) {
      throw new IllegalArgumentException("model has no input '" + name + "'");
    }
    Slot slot = inputs.computeIfAbsent(name, n -> new Slot(info.elementType()));
    return slot.host(shape);
  }

  @Override
  public Map<String, OutputValue> run(Set<String> outputs) {
    checkOpen();
    releaseLast();
    Map<String, OnnxTensor> feed = new HashMap<>();
    long batch = -1;
    try {
      for (Map.Entry<String, Slot> e : inputs.entrySet()) {
        Slot s = e.getValue();
        feed.put(e.getKey(), s.tensorForRun(transient_));
        batch = batch < 0 ? s.current.shape()[0] : batch;
      }
      Map<String, OnnxTensor> pins = new HashMap<>();
      Set<String> requested = new HashSet<>();
      for (String out : outputs) {
        long[] shape = pinnableShape(out, batch);
        if (shape != null) {
          Slot slot =
              pinned.computeIfAbsent(out, n -> new Slot(owner.signature().output(n).elementType()));
          slot.host(shape);
          pins.put(out, slot.tensorForRun(transient_));
        } else {
          requested.add(out);
        }
      }
      try {
        lastResult = session.run(feed, requested, pins);
      } catch (OrtException e) {
        if (pins.isEmpty()
            || !e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("shape")) {
          throw e;
        }
        // A pinned shape guessed from the batch size was wrong for this model: stop pinning.
        unpinnable.addAll(pins.keySet());
        lastResult = session.run(feed, outputs);
        pins.clear();
      }
      Map<String, OutputValue> values = new LinkedHashMap<>();
      for (String out : outputs) {
        if (pins.containsKey(out)) {
          HostTensor h = pinned.get(out).current;
          values.put(out, new OutputValue.Dense(h.type(), h.shape(), typed(h), null));
        } else {
          values.put(out, convert(out, lastResult.get(out).orElseThrow()));
        }
      }
      return values;
    } catch (OrtException e) {
      throw new EngineException(
          owner.name() + ": ONNX Runtime failed on a batch: " + e.getMessage(), e);
    } finally {
      for (OnnxValue v : transient_) {
        v.close();
      }
      transient_.clear();
    }
  }

  /** The output's shape for this batch when it is a dense number tensor [batch, static...]. */
  private long[] pinnableShape(String name, long batch) {
    if (unpinnable.contains(name)) {
      return null;
    }
    ValueInfo v = owner.signature().output(name);
    if (v == null
        || !v.isTensor()
        || v.rank() == 0
        || v.elementType() == ElementType.STRING
        || !v.elementType().isScorable()
        || v.dim(0) >= 0) {
      return null;
    }
    long[] shape = v.shape();
    for (int i = 1; i < shape.length; i++) {
      if (shape[i] < 0) {
        return null;
      }
    }
    String[] names = v.dimensionNames();
    ValueInfo firstInput = owner.signature().inputs().values().iterator().next();
    String batchName = firstInput.rank() > 0 ? firstInput.dimensionNames()[0] : null;
    if (names[0] != null && batchName != null && !names[0].equals(batchName)) {
      return null;
    }
    shape[0] = batch;
    return shape;
  }

  private static Buffer typed(HostTensor h) {
    switch (h.type()) {
      case FLOAT:
        return h.floats();
      case DOUBLE:
        return h.doubles();
      case INT64:
        return h.longs();
      case INT32:
        return h.ints();
      default:
        return h.bytes().duplicate();
    }
  }

  private OutputValue convert(String name, OnnxValue v) throws OrtException {
    if (v instanceof OnnxTensor t) {
      long[] shape = t.getInfo().getShape();
      ElementType type = OrtModelSession.elementType(t.getInfo().type);
      switch (type) {
        case FLOAT:
          return new OutputValue.Dense(type, shape, t.getFloatBuffer(), null);
        case DOUBLE:
          return new OutputValue.Dense(type, shape, t.getDoubleBuffer(), null);
        case INT64:
          return new OutputValue.Dense(type, shape, t.getLongBuffer(), null);
        case INT32:
          return new OutputValue.Dense(type, shape, t.getIntBuffer(), null);
        case BOOL:
          return new OutputValue.Dense(type, shape, t.getByteBuffer(), null);
        case STRING:
          return new OutputValue.Dense(type, shape, null, flattenStrings(t.getValue()));
        default:
          throw new EngineException(
              owner.name()
                  + ": output '"
                  + name
                  + "' has element type "
                  + type
                  + ", which batchscore cannot read");
      }
    }
    if (v instanceof OnnxSequence seq) {
      // Each item is a native value of its own, made by getValue() and owned by the caller:
      // closing the sequence (with the Result) does not release it. Every item is closed here,
      // read or not, or ONNX Runtime keeps ~330 bytes a row of ZipMap output for good.
      List<? extends OnnxValue> items = seq.getValue();
      List<Map<Object, Object>> rows = new ArrayList<>(items.size());
      try {
        for (OnnxValue item : items) {
          if (!(item instanceof OnnxMap m)) {
            throw new EngineException(
                owner.name() + ": output '" + name + "' is not a sequence of maps");
          }
          @SuppressWarnings("unchecked")
          Map<Object, Object> map = (Map<Object, Object>) m.getValue();
          rows.add(map);
        }
      } finally {
        for (OnnxValue item : items) {
          item.close();
        }
      }
      return new OutputValue.MapSequence(rows);
    }
    throw new EngineException(
        owner.name()
            + ": output '"
            + name
            + "' is a "
            + v.getType()
            + ", which batchscore cannot read");
  }

  private static String[] flattenStrings(Object value) {
    if (value instanceof String[] s) {
      return s;
    }
    List<String> out = new ArrayList<>();
    flatten(value, out);
    return out.toArray(new String[0]);
  }

  private static void flatten(Object v, List<String> out) {
    if (v instanceof String s) {
      out.add(s);
    } else if (v instanceof Object[] arr) {
      for (Object o : arr) {
        flatten(o, out);
      }
    }
  }

  private void releaseLast() {
    if (lastResult != null) {
      lastResult.close();
      lastResult = null;
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("runner is closed");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    releaseLast();
    for (Slot s : inputs.values()) {
      s.close();
    }
    for (Slot s : pinned.values()) {
      s.close();
    }
  }

  /** A reusable direct buffer and the tensors that wrap it, per shape. */
  private static final class Slot {
    private final ElementType type;
    private ByteBuffer buffer;
    private final Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
    private HostTensor current;

    Slot(ElementType type) {
      this.type = type;
    }

    HostTensor host(long[] shape) {
      long n = HostTensor.count(shape);
      if (type == ElementType.STRING) {
        current = HostTensors.strings(shape, new String[Math.toIntExact(n)]);
        return current;
      }
      long bytes = n * type.byteSize();
      if (buffer == null || buffer.capacity() < bytes) {
        closeTensors();
        long cap = Math.max(bytes, buffer == null ? 0 : buffer.capacity() * 3L / 2);
        buffer = ByteBuffer.allocateDirect(Math.toIntExact(cap)).order(ByteOrder.nativeOrder());
      }
      ByteBuffer view = buffer.duplicate().order(ByteOrder.nativeOrder());
      view.position(0).limit((int) bytes);
      current = HostTensors.dense(type, shape, view.slice().order(ByteOrder.nativeOrder()));
      return current;
    }

    OnnxTensor tensorForRun(List<OnnxValue> transientValues) throws OrtException {
      long[] shape = current.shape();
      if (type == ElementType.STRING) {
        OnnxTensor t = OnnxTensor.createTensor(OrtRuntime.env(), current.strings(), shape);
        transientValues.add(t);
        return t;
      }
      String key = Arrays.toString(shape);
      OnnxTensor t = tensors.get(key);
      if (t == null) {
        if (tensors.size() >= SHAPES_PER_SLOT) {
          String eldest = tensors.keySet().iterator().next();
          tensors.remove(eldest).close();
        }
        ByteBuffer b = current.bytes();
        t =
            type == ElementType.BOOL
                ? OnnxTensor.createTensor(OrtRuntime.env(), b, shape, OnnxJavaType.BOOL)
                : createTyped(b, shape);
        tensors.put(key, t);
      }
      return t;
    }

    private OnnxTensor createTyped(ByteBuffer b, long[] shape) throws OrtException {
      switch (type) {
        case FLOAT:
          return OnnxTensor.createTensor(OrtRuntime.env(), b.asFloatBuffer(), shape);
        case DOUBLE:
          return OnnxTensor.createTensor(OrtRuntime.env(), b.asDoubleBuffer(), shape);
        case INT64:
          return OnnxTensor.createTensor(OrtRuntime.env(), b.asLongBuffer(), shape);
        case INT32:
          return OnnxTensor.createTensor(OrtRuntime.env(), b.asIntBuffer(), shape);
        default:
          throw new IllegalStateException("cannot make a " + type + " tensor");
      }
    }

    private void closeTensors() {
      for (OnnxTensor t : tensors.values()) {
        t.close();
      }
      tensors.clear();
    }

    void close() {
      closeTensors();
    }
  }
}
