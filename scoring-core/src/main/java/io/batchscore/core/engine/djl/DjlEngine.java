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
import io.batchscore.core.model.ValueInfo;
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
    src.files(); // readable, and any external data inside the model's folder
    ModelSignature sig;
    SessionConfig probe = new SessionConfig(1, 1, "basic", false, null, null);
    try (EngineSession s =
        OrtEngine.INSTANCE.open(
            new SessionRequest(src, DevicePlan.cpu(DeviceRequest.CPU, "signature"), probe, 1))) {
      sig = s.signature();
    }
    refuseMapOutputs(sig, src.name());
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
    return new DjlSession(model, sig, src.name(), plan.key());
  }

  /**
   * DJL's ONNX Runtime engine (0.36) turns a sequence-of-maps output (scikit-learn's ZipMap) into
   * an array but never closes the native maps nor the run's result: measured, the resident set
   * grew ~560 bytes a row (890 MB over 1.6M rows of the wine forest) and a nightly job would not
   * survive it. Such models are refused up front, with what to do instead.
   */
  private static void refuseMapOutputs(ModelSignature sig, String model) throws ModelLoadException {
    for (ValueInfo v : sig.outputs().values()) {
      if (v.kind() == ValueInfo.Kind.SEQUENCE_OF_MAPS) {
        throw new ModelLoadException(model, "engine djl cannot score output '" + v.name()
            + "', a sequence of maps (ZipMap): DJL's ONNX Runtime engine never releases the native"
            + " memory of such outputs (about 560 bytes a row). Use engine: ort (the default), or"
            + " export the model without ZipMap (skl2onnx: options={'zipmap': False})");
      }
    }
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
