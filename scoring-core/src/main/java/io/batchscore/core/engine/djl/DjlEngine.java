package io.batchscore.core.engine.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import io.batchscore.core.DeviceUnavailableException;
import io.batchscore.core.ModelLoadException;
import io.batchscore.core.device.DevicePlan;
import io.batchscore.core.device.DeviceRequest;
import io.batchscore.core.engine.Engine;
import io.batchscore.core.engine.EngineSession;
import io.batchscore.core.engine.SessionRequest;
import io.batchscore.core.engine.ort.OrtEngine;
import io.batchscore.core.engine.ort.OrtRuntime;
import io.batchscore.core.model.ModelSignature;
import io.batchscore.core.model.ModelSource;
import io.batchscore.core.spec.SessionConfig;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * DJL's ONNX Runtime engine ({@code engine: djl}): the second engine, behind the same runner
 * interface. The model's signature is read once through ONNX Runtime directly (DJL does not
 * expose input types); DJL runs the batches.
 */
public final class DjlEngine implements Engine {
  public static final DjlEngine INSTANCE = new DjlEngine();

  private DjlEngine() {}

  @Override
  public Set<String> availableProviders() {
    return OrtRuntime.providers();
  }

  @Override
  public EngineSession open(SessionRequest req) throws ModelLoadException {
    DjlDefaults.apply();
    OrtRuntime.env();
    ModelSource src = req.source();
    if (src.path() == null) {
      throw new ModelLoadException(src.name(), "engine djl loads models from files only");
    }
    src.checkReadable();
    ModelSignature sig;
    Map<String, Object[]> mapKeys = new HashMap<>();
    SessionConfig probe = new SessionConfig(1, 1, "basic", false, null, null);
    try (EngineSession s =
        OrtEngine.INSTANCE.open(
            new SessionRequest(src, DevicePlan.cpu(DeviceRequest.CPU, "signature"), probe, 1))) {
      sig = s.signature();
      mapKeys = zipMapKeyOrder(s, src.name());
    }
    DevicePlan plan = req.device();
    Device device = plan.cuda() ? Device.gpu(plan.deviceId()) : Device.cpu();
    Model model = Model.newInstance(src.name(), device, "OnnxRuntime");
    Map<String, String> options = new HashMap<>();
    SessionConfig c = req.config();
    options.put("interOpNumThreads", Integer.toString(c.interOpThreads()));
    options.put("intraOpNumThreads", Integer.toString(req.intraOpThreads()));
    options.put("executionMode", c.parallelExecution() ? "PARALLEL" : "SEQUENTIAL");
    options.put("optLevel", optLevel(c.optimization()));
    try {
      model.load(src.path(), null, options);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      if (plan.cuda()) {
        throw new DeviceUnavailableException(src.name(), "DJL cannot open a CUDA session on device "
            + plan.deviceId() + ": " + e.getMessage(), e);
      }
      throw new ModelLoadException(src.name(), "DJL cannot load the model: " + e.getMessage(), e);
    }
    return new DjlSession(model, sig, src.name(), plan.key(), mapKeys);
  }

  /**
   * DJL returns a ZipMap (sequence of maps) output as a [N, classes] array whose columns follow
   * the iteration order of the map ONNX Runtime's {@code OnnxMap.getValue()} builds. One dummy
   * row through ONNX Runtime, read through that same method, gives the keys in that order.
   */
  private static Map<String, Object[]> zipMapKeyOrder(EngineSession ort, String model)
      throws ModelLoadException {
    Map<String, Object[]> out = new HashMap<>();
    java.util.Set<String> maps = new java.util.LinkedHashSet<>();
    for (io.batchscore.core.model.ValueInfo v : ort.signature().outputs().values()) {
      if (v.kind() == io.batchscore.core.model.ValueInfo.Kind.SEQUENCE_OF_MAPS) {
        maps.add(v.name());
      }
    }
    if (maps.isEmpty()) {
      return out;
    }
    try (io.batchscore.core.engine.Runner r = ort.newRunner()) {
      for (io.batchscore.core.model.ValueInfo in : ort.signature().inputs().values()) {
        long[] shape = in.shape();
        for (int i = 0; i < shape.length; i++) {
          shape[i] = shape[i] < 0 ? 1 : shape[i];
        }
        io.batchscore.core.engine.HostTensor t = r.input(in.name(), shape);
        if (t.strings() != null) {
          java.util.Arrays.fill(t.strings(), "");
        }
      }
      for (Map.Entry<String, io.batchscore.core.engine.OutputValue> e : r.run(maps).entrySet()) {
        var rows = ((io.batchscore.core.engine.OutputValue.MapSequence) e.getValue()).rows();
        out.put(e.getKey(), rows.get(0).keySet().toArray());
      }
    } catch (RuntimeException e) {
      throw new ModelLoadException(model, "cannot learn the class keys of its ZipMap output for DJL: " + e.getMessage(), e);
    }
    return out;
  }

  private static String optLevel(String name) {
    switch (name) {
      case "none":
        return "NO_OPT";
      case "basic":
        return "BASIC_OPT";
      case "extended":
        return "EXTENDED_OPT";
      default:
        return "ALL_OPT";
    }
  }
}
