package io.batchscore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.engine.DevicePlan;
import io.batchscore.core.engine.DevicePlanner;
import io.batchscore.core.model.DeviceUnavailableException;
import io.batchscore.core.spec.DeviceRequest;
import io.batchscore.core.spec.EngineKind;
import io.batchscore.core.spec.ScoringSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The GPU side, tested on CPU: the device chosen from a request, the providers present and the GPU
 * Spark assigned; provider options; fail-fast and fallback. No GPU is available to these tests; the
 * one test that needs a real GPU is skipped with its reason.
 */
class DeviceSelectionTest {
  private static final Set<String> CPU_ONLY = Set.of("CPU");
  private static final Set<String> WITH_CUDA = Set.of("CPU", "CUDA");

  @Test
  void parsesEveryDeviceForm() {
    assertEquals(DeviceRequest.AUTO, DeviceRequest.parse("auto"));
    assertEquals(DeviceRequest.CPU, DeviceRequest.parse("CPU"));
    assertEquals(
        new DeviceRequest(DeviceRequest.Kind.CUDA, DeviceRequest.ANY), DeviceRequest.parse("cuda"));
    assertEquals(new DeviceRequest(DeviceRequest.Kind.CUDA, 3), DeviceRequest.parse("cuda:3"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DeviceRequest.parse("cuda:x"));
    assertTrue(e.getMessage().contains("auto, cpu, cuda, cuda:N"));
  }

  @Test
  void cudaPicksTheGpuSparkAssignedToTheTask() throws Exception {
    DevicePlan p = DevicePlanner.plan(DeviceRequest.parse("cuda"), WITH_CUDA, List.of("2"), "m");
    assertTrue(p.cuda());
    assertEquals(2, p.deviceId());
    assertEquals("cuda:2", p.key());
    assertFalse(p.mayFallBack());
  }

  @Test
  void cudaWithoutAnAssignmentUsesDeviceZero() throws Exception {
    DevicePlan p = DevicePlanner.plan(DeviceRequest.parse("cuda"), WITH_CUDA, null, "m");
    assertEquals(0, p.deviceId());
  }

  @Test
  void explicitCudaDeviceWinsOverTheAssignment() throws Exception {
    DevicePlan p = DevicePlanner.plan(DeviceRequest.parse("cuda:1"), WITH_CUDA, List.of("0"), "m");
    assertEquals(1, p.deviceId());
  }

  @Test
  void autoUsesTheAssignedGpuAndMayFallBack() throws Exception {
    DevicePlan p = DevicePlanner.plan(DeviceRequest.AUTO, WITH_CUDA, List.of("1"), "m");
    assertTrue(p.cuda());
    assertEquals(1, p.deviceId());
    assertTrue(p.mayFallBack());
  }

  @Test
  void autoOnATaskWithNoGpuUsesCpu() throws Exception {
    DevicePlan p = DevicePlanner.plan(DeviceRequest.AUTO, WITH_CUDA, List.of(), "m");
    assertFalse(p.cuda());
    assertEquals("cpu", p.key());
  }

  @Test
  void autoWithoutTheCudaProviderUsesCpu() throws Exception {
    DevicePlan p = DevicePlanner.plan(DeviceRequest.AUTO, CPU_ONLY, List.of("0"), "m");
    assertFalse(p.cuda());
    assertTrue(p.reason().contains("CUDA provider not available"));
  }

  @Test
  void cudaWithoutTheProviderFailsFastNamingTheFix() {
    DeviceUnavailableException e =
        assertThrows(
            DeviceUnavailableException.class,
            () -> DevicePlanner.plan(DeviceRequest.parse("cuda:0"), CPU_ONLY, null, "model.onnx"));
    assertTrue(e.getMessage().startsWith("model.onnx: device 'cuda:0' requested"));
    assertTrue(e.getMessage().contains("-Pgpu"));
    assertTrue(e.getMessage().contains("device: auto"));
  }

  @Test
  void nonNumericGpuAddressIsRejected() {
    assertThrows(
        DeviceUnavailableException.class,
        () -> DevicePlanner.plan(DeviceRequest.parse("cuda"), WITH_CUDA, List.of("GPU-abc"), "m"));
  }

  @Test
  void cudaProviderOptionsCarryTheDeviceAndTheUsersOptions() throws Exception {
    DevicePlan p = DevicePlanner.plan(DeviceRequest.parse("cuda"), WITH_CUDA, List.of("3"), "m");
    Map<String, String> opts =
        p.cudaProviderOptions(
            Map.of(
                "gpu_mem_limit",
                "2147483648",
                "device_id",
                "7",
                "cudnn_conv_algo_search",
                "HEURISTIC"));
    assertEquals("3", opts.get("device_id"), "the planned device wins over a user device_id");
    assertEquals("2147483648", opts.get("gpu_mem_limit"));
    assertEquals("HEURISTIC", opts.get("cudnn_conv_algo_search"));
    DevicePlan cpu = DevicePlanner.plan(DeviceRequest.CPU, WITH_CUDA, List.of("3"), "m");
    assertTrue(cpu.cudaProviderOptions(Map.of("gpu_mem_limit", "1")).isEmpty());
  }

  @Test
  void openingWithCudaOnThisMachineFailsFastWithAClearMessage() throws Exception {
    ScoringSpec spec =
        ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml")).toBuilder()
            .device(DeviceRequest.parse("cuda"))
            .build();
    ScorerOptions opts = ScorerOptions.builder().cache(new ModelCache(2)).build();
    if (Engines.of(EngineKind.ORT).availableProviders().contains("CUDA")) {
      return; // a GPU build: covered by the GPU test below
    }
    DeviceUnavailableException e =
        assertThrows(
            DeviceUnavailableException.class,
            () -> BatchScorer.open(ScoringPlan.bind(spec, null), opts));
    assertTrue(e.getMessage().contains("breast_cancer_logreg.onnx"));
    assertTrue(e.getMessage().contains("CUDA execution provider is not available"));
  }

  @Test
  void openingWithAutoOnThisMachineFallsBackToCpuAndScores() throws Exception {
    ScoringSpec spec = ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml"));
    assertEquals(DeviceRequest.AUTO, spec.device());
    ScorerOptions opts =
        ScorerOptions.builder().cache(new ModelCache(2)).gpuAddresses(List.of("0")).build();
    try (BatchScorer s = BatchScorer.open(ScoringPlan.bind(spec, null), opts)) {
      assertEquals("cpu", s.device());
      var r = s.score(TestData.batch(TestData.readCsv(TestData.sample("data/breast_cancer.csv"))));
      assertEquals(569, r.rowsScored());
    }
  }

  static boolean cudaAvailable() {
    return Engines.of(EngineKind.ORT).availableProviders().contains("CUDA");
  }

  @Test
  @EnabledIf(
      value = "cudaAvailable",
      disabledReason = "needs the onnxruntime_gpu build (-Pgpu) and a CUDA GPU; none here")
  void scoresOnARealGpu() throws Exception {
    ScoringSpec spec =
        ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml")).toBuilder()
            .device(DeviceRequest.parse("cuda:0"))
            .build();
    try (BatchScorer s =
        BatchScorer.open(
            ScoringPlan.bind(spec, null),
            ScorerOptions.builder().cache(new ModelCache(2)).build())) {
      assertEquals("cuda:0", s.device());
      var r = s.score(TestData.batch(TestData.readCsv(TestData.sample("data/breast_cancer.csv"))));
      assertEquals(569, r.rowsScored());
    }
  }
}
