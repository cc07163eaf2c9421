package io.batchscore.core.engine.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import io.batchscore.core.engine.DevicePlan;
import io.batchscore.core.engine.DjlDefaults;
import io.batchscore.core.engine.Engine;
import io.batchscore.core.engine.EngineSession;
import io.batchscore.core.engine.SessionRequest;
import io.batchscore.core.engine.ort.OrtEngine;
import io.batchscore.core.engine.ort.OrtRuntime;
import io.batchscore.core.model.DeviceUnavailableException;
import io.batchscore.core.model.ModelLoadException;
import io.batchscore.core.model.ModelSignature;
import io.batchscore.core.model.ModelSource;
import io.batchscore.core.model.ValueInfo;
import io.batchscore.core.spec.DeviceRequest;
import io.batchscore.core.spec.SessionConfig;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * DJL's ONNX Runtime engine ({@code engine: djl}): the second engine, behind the same runner
 * interface. The model's signature is read once through ONNX Runtime directly (DJL does not expose
 * input types); DJL runs the batches.
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
    OrtRuntime.start();
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
    Loadable loadable = loadable(src, sig);
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
      model.load(loadable.path(), null, options);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      loadable.delete();
      if (plan.cuda()) {
        throw new DeviceUnavailableException(
            src.name(),
            "DJL cannot open a CUDA session on device " + plan.deviceId() + ": " + e.getMessage(),
            e);
      }
      throw new ModelLoadException(src.name(), "DJL cannot load the model: " + e.getMessage(), e);
    }
    return new DjlSession(model, sig, src.name(), plan.key(), loadable.mapKeys(), loadable::delete);
  }

  /**
   * What DJL loads: the model file itself, or, for a model with sequence-of-maps outputs (ZipMap),
   * a copy without ZipMap in a temporary folder ({@link ZipMapFree}: DJL would never release those
   * maps), with the class keys to zip DJL's tensor into maps again.
   */
  record Loadable(
      java.nio.file.Path path, Map<String, Object[]> mapKeys, java.nio.file.Path tempDir) {
    void delete() {
      if (tempDir == null) {
        return;
      }
      try {
        java.nio.file.Files.deleteIfExists(path);
        java.nio.file.Files.deleteIfExists(tempDir);
      } catch (IOException e) {
        // a temporary file; the JVM's exit removes it too
      }
    }
  }

  private static Loadable loadable(ModelSource src, ModelSignature sig) throws ModelLoadException {
    boolean maps =
        sig.outputs().values().stream().anyMatch(v -> v.kind() == ValueInfo.Kind.SEQUENCE_OF_MAPS);
    if (!maps) {
      return new Loadable(src.path(), Map.of(), null);
    }
    if (src.files().size() > 1) {
      throw new ModelLoadException(
          src.name(),
          "engine djl cannot score a model with both external"
              + " weights and a ZipMap output; use engine: ort (the default)");
    }
    try {
      ZipMapFree.Rewrite r = ZipMapFree.rewrite(java.nio.file.Files.readAllBytes(src.path()));
      if (r == null) {
        throw new ModelLoadException(
            src.name(),
            "engine djl cannot score its sequence-of-maps"
                + " outputs, which are not ZipMap nodes; use engine: ort (the default)");
      }
      for (ValueInfo v : sig.outputs().values()) {
        if (v.kind() == ValueInfo.Kind.SEQUENCE_OF_MAPS && !r.keys().containsKey(v.name())) {
          throw new ModelLoadException(
              src.name(),
              "engine djl cannot score output '"
                  + v.name()
                  + "', a sequence of maps that no ZipMap node makes; use engine: ort (the default)");
        }
      }
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("batchscore-djl-");
      java.nio.file.Path copy = dir.resolve(src.path().getFileName().toString());
      java.nio.file.Files.write(copy, r.model());
      dir.toFile().deleteOnExit();
      copy.toFile().deleteOnExit();
      return new Loadable(copy, r.keys(), dir);
    } catch (IOException e) {
      throw new ModelLoadException(
          src.name(), "cannot prepare the model's ZipMap outputs for DJL: " + e.getMessage(), e);
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
