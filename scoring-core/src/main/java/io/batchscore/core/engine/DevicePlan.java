package io.batchscore.core.engine;

import io.batchscore.core.spec.DeviceRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The device a session will be opened on, decided from the spec's request, the providers the engine
 * has and the GPU the caller was assigned.
 *
 * @param request what the spec asked for
 * @param cuda true to open the session with the CUDA execution provider
 * @param deviceId the CUDA device id (0 for CPU plans)
 * @param mayFallBack true when a CUDA failure at session creation may fall back to CPU ({@code
 *     auto})
 * @param reason why this plan was chosen, for logs and reports
 */
public record DevicePlan(
    DeviceRequest request, boolean cuda, int deviceId, boolean mayFallBack, String reason) {

  /** A CPU plan, for example after a fallback. */
  public static DevicePlan cpu(DeviceRequest request, String reason) {
    return new DevicePlan(request, false, 0, false, reason);
  }

  /** {@code cpu} or {@code cuda:N}: part of the model cache's key. */
  public String key() {
    return cuda ? "cuda:" + deviceId : "cpu";
  }

  /**
   * The CUDA execution provider options this plan produces: the user's options from the spec, with
   * {@code device_id} set to the planned device (a user {@code device_id} is overridden, since the
   * device is chosen by the {@code device:} setting and the assigned GPU).
   */
  public Map<String, String> cudaProviderOptions(Map<String, String> userOptions) {
    if (!cuda) {
      return Map.of();
    }
    Map<String, String> out = new TreeMap<>(userOptions);
    out.put("device_id", Integer.toString(deviceId));
    return new LinkedHashMap<>(out);
  }
}
