package io.batchscore.core.spec;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Engine session options from the spec.
 *
 * @param intraOpThreads threads per operator, or null to take the caller's CPU share
 * @param interOpThreads threads across operators (parallel execution mode only)
 * @param optimization graph optimisation level: none, basic, extended, all
 * @param parallelExecution true for ONNX Runtime's parallel execution mode
 * @param cudaOptions CUDA execution provider options (device_id is set by batchscore)
 * @param config ONNX Runtime session config entries
 */
public record SessionConfig(
    Integer intraOpThreads,
    int interOpThreads,
    String optimization,
    boolean parallelExecution,
    Map<String, String> cudaOptions,
    Map<String, String> config)
    implements Serializable {

  public static final SessionConfig DEFAULTS =
      new SessionConfig(null, 1, "all", false, Map.of(), Map.of());

  public SessionConfig {
    cudaOptions = Map.copyOf(cudaOptions == null ? Map.of() : cudaOptions);
    config = Map.copyOf(config == null ? Map.of() : config);
  }

  public SessionConfig withIntraOpThreads(Integer n) {
    return new SessionConfig(
        n, interOpThreads, optimization, parallelExecution, cudaOptions, config);
  }

  public SessionConfig withInterOpThreads(int n) {
    return new SessionConfig(
        intraOpThreads, n, optimization, parallelExecution, cudaOptions, config);
  }

  /** A stable text form with the resolved thread count, used in the model cache's key. */
  public String fingerprint(int resolvedIntraOpThreads) {
    return "intra="
        + resolvedIntraOpThreads
        + ",inter="
        + interOpThreads
        + ",opt="
        + optimization
        + ",parallel="
        + parallelExecution
        + ",cuda="
        + new TreeMap<>(cudaOptions)
        + ",config="
        + new TreeMap<>(config);
  }
}
