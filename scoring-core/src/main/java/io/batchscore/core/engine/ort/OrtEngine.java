package io.batchscore.core.engine.ort;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import io.batchscore.core.engine.DevicePlan;
import io.batchscore.core.engine.DevicePlanner;
import io.batchscore.core.engine.Engine;
import io.batchscore.core.engine.EngineSession;
import io.batchscore.core.engine.SessionRequest;
import io.batchscore.core.model.DeviceUnavailableException;
import io.batchscore.core.model.ModelLoadException;
import io.batchscore.core.model.ModelSource;
import io.batchscore.core.spec.SessionConfig;
import java.util.Map;
import java.util.Set;

/** ONNX Runtime's Java API: the default engine and the hot path. */
public final class OrtEngine implements Engine {
  public static final OrtEngine INSTANCE = new OrtEngine();

  private OrtEngine() {}

  @Override
  public Set<String> availableProviders() {
    return OrtRuntime.providers();
  }

  @Override
  public EngineSession open(SessionRequest req) throws ModelLoadException {
    ModelSource src = req.source();
    src.files(); // readable, and any external data inside the model's folder
    DevicePlan plan = req.device();
    try {
      return new OrtModelSession(create(req, plan), src.name(), plan.key());
    } catch (OrtException e) {
      if (plan.cuda() && plan.mayFallBack()) {
        DevicePlanner.logOnce(
            "auto-cuda-failed",
            "device auto: CUDA session failed (" + e.getMessage() + "), scoring on CPU");
        DevicePlan cpu = DevicePlan.cpu(plan.request(), "auto: CUDA failed, " + e.getMessage());
        try {
          return new OrtModelSession(create(req, cpu), src.name(), cpu.key());
        } catch (OrtException e2) {
          throw loadError(src, e2);
        }
      }
      if (plan.cuda()) {
        throw new DeviceUnavailableException(
            src.name(),
            "cannot open a CUDA session on device "
                + plan.deviceId()
                + ": "
                + e.getMessage()
                + ". Check the CUDA 12 / cuDNN 9 libraries and the device id, or set device: auto",
            e);
      }
      throw loadError(src, e);
    }
  }

  private static ModelLoadException loadError(ModelSource src, OrtException e) {
    return new ModelLoadException(
        src.name(), "ONNX Runtime cannot load the model: " + e.getMessage(), e);
  }

  private static OrtSession create(SessionRequest req, DevicePlan plan) throws OrtException {
    SessionConfig c = req.config();
    try (SessionOptions opts = new SessionOptions()) {
      opts.setIntraOpNumThreads(req.intraOpThreads());
      opts.setInterOpNumThreads(c.interOpThreads());
      opts.setExecutionMode(
          c.parallelExecution()
              ? SessionOptions.ExecutionMode.PARALLEL
              : SessionOptions.ExecutionMode.SEQUENTIAL);
      opts.setOptimizationLevel(optLevel(c.optimization()));
      // Threads spin by default between runs; batch scoring shares cores with Spark's decoding.
      if (!c.config().containsKey("session.intra_op.allow_spinning")) {
        opts.addConfigEntry("session.intra_op.allow_spinning", "0");
      }
      for (Map.Entry<String, String> e : c.config().entrySet()) {
        opts.addConfigEntry(e.getKey(), e.getValue());
      }
      if (plan.cuda()) {
        try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(plan.deviceId())) {
          for (Map.Entry<String, String> e : plan.cudaProviderOptions(c.cudaOptions()).entrySet()) {
            cuda.add(e.getKey(), e.getValue());
          }
          opts.addCUDA(cuda);
        }
      }
      ModelSource src = req.source();
      return src.path() != null
          ? OrtRuntime.env().createSession(src.path().toString(), opts)
          : OrtRuntime.env().createSession(src.bytes(), opts);
    }
  }

  static SessionOptions.OptLevel optLevel(String name) {
    switch (name) {
      case "none":
        return SessionOptions.OptLevel.NO_OPT;
      case "basic":
        return SessionOptions.OptLevel.BASIC_OPT;
      case "extended":
        return SessionOptions.OptLevel.EXTENDED_OPT;
      default:
        return SessionOptions.OptLevel.ALL_OPT;
    }
  }
}
