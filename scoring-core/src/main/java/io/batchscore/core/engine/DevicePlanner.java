package io.batchscore.core.engine;

import io.batchscore.core.model.DeviceUnavailableException;
import io.batchscore.core.spec.DeviceRequest;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the device for a session. Pure logic, so it is tested without a GPU:
 *
 * <ul>
 *   <li>{@code cpu}: CPU.
 *   <li>{@code cuda}: the CUDA provider must be present, else fail fast. The device is the first
 *       GPU address the caller was assigned (Spark's task resources), else 0.
 *   <li>{@code cuda:N}: as {@code cuda}, on device N.
 *   <li>{@code auto}: CUDA as for {@code cuda} when the provider is present and, if the caller
 *       reported its GPU assignment, it was given a GPU; otherwise CPU, logged once per reason.
 * </ul>
 */
public final class DevicePlanner {
  private static final Logger LOG = LoggerFactory.getLogger(DevicePlanner.class);
  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

  /** The provider name of CUDA in {@link io.batchscore.core.engine.Engine#availableProviders()}. */
  public static final String CUDA = "CUDA";

  private DevicePlanner() {}

  /**
   * @param request the spec's device
   * @param providers the engine's available execution providers
   * @param gpuAddresses the GPUs assigned to the caller (Spark's {@code gpu} resource addresses),
   *     or null when the caller does not know; an empty list means "assigned none"
   * @param model the model, for messages
   */
  public static DevicePlan plan(
      DeviceRequest request, Set<String> providers, List<String> gpuAddresses, String model)
      throws DeviceUnavailableException {
    boolean hasCuda = providers.contains(CUDA);
    switch (request.kind()) {
      case CPU:
        return DevicePlan.cpu(request, "cpu requested");
      case CUDA:
        if (!hasCuda) {
          throw new DeviceUnavailableException(
              model,
              "device '"
                  + request
                  + "' requested but ONNX Runtime's CUDA execution provider is not available"
                  + " in this process (available: "
                  + providers
                  + "). Build with -Pgpu (the onnxruntime_gpu artifact) on a machine with CUDA 12"
                  + " and cuDNN 9, or set device: auto or cpu.");
        }
        int id = deviceId(request, gpuAddresses, model);
        return new DevicePlan(request, true, id, false, "cuda requested, device " + id);
      case AUTO:
      default:
        if (!hasCuda) {
          infoOnce(
              "auto-no-provider",
              "device auto: no CUDA execution provider in this process, scoring on CPU");
          return DevicePlan.cpu(request, "auto: CUDA provider not available");
        }
        if (gpuAddresses != null && gpuAddresses.isEmpty()) {
          logOnce("auto-no-gpu", "device auto: this task was assigned no GPU, scoring on CPU");
          return DevicePlan.cpu(request, "auto: no GPU assigned to this task");
        }
        int autoId = deviceId(request, gpuAddresses, model);
        return new DevicePlan(request, true, autoId, true, "auto: CUDA device " + autoId);
    }
  }

  private static int deviceId(DeviceRequest request, List<String> gpuAddresses, String model)
      throws DeviceUnavailableException {
    if (request.deviceId() != DeviceRequest.ANY) {
      if (gpuAddresses != null
          && !gpuAddresses.isEmpty()
          && !gpuAddresses.contains(Integer.toString(request.deviceId()))) {
        logOnce(
            "explicit-" + request.deviceId() + gpuAddresses,
            "device "
                + request
                + " is not among the GPUs assigned to this task "
                + gpuAddresses
                + "; using it as asked");
      }
      return request.deviceId();
    }
    if (gpuAddresses == null || gpuAddresses.isEmpty()) {
      return 0;
    }
    String first = gpuAddresses.get(0).trim();
    try {
      return Integer.parseInt(first);
    } catch (NumberFormatException e) {
      throw new DeviceUnavailableException(
          model, "GPU address '" + first + "' assigned to this task is not a CUDA device index");
    }
  }

  /** Logs at INFO once per key: an expected fallback (a CPU-only build asked for auto). */
  public static void infoOnce(String key, String message) {
    if (LOGGED.add(key)) {
      LOG.info(message);
    }
  }

  /** Logs a warning once per key for the life of the JVM. */
  public static void logOnce(String key, String message) {
    if (LOGGED.add(key)) {
      LOG.warn(message);
    }
  }
}
