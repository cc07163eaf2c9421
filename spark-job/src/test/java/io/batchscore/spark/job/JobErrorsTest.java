package io.batchscore.spark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.batchscore.core.BadInputException;
import io.batchscore.core.ScoringException;
import io.batchscore.core.model.DeviceUnavailableException;
import io.batchscore.core.model.ModelLoadException;
import io.batchscore.core.spec.Problem;
import io.batchscore.core.spec.SpecException;
import java.io.FileNotFoundException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The documented exit code of each failure, wherever it sits in the cause chain. */
class JobErrorsTest {
  private static Throwable wrapped(Throwable cause) {
    // What an executor's failure looks like on the driver: Spark's exception around ours.
    return new IllegalStateException(
        "Job aborted due to stage failure", new RuntimeException("Task failed", cause));
  }

  @Test
  void eachOfTheLibrarysExceptionsHasItsExitCode() {
    SpecException spec = new SpecException("s.yaml", List.of(new Problem("batchSize", "too big")));
    BadInputException bad = new BadInputException("x", 3, "in", "row 3 is null");
    ModelLoadException load = new ModelLoadException("m.onnx", "model file not found");
    DeviceUnavailableException device = new DeviceUnavailableException("m.onnx", "no CUDA", null);
    assertEquals(ExitCodes.INVALID_SPEC, JobErrors.exitCode(spec));
    assertEquals(ExitCodes.BAD_INPUT, JobErrors.exitCode(bad));
    assertEquals(ExitCodes.MODEL_LOAD, JobErrors.exitCode(load));
    assertEquals(ExitCodes.MODEL_LOAD, JobErrors.exitCode(device));
    assertEquals(
        ExitCodes.RUNTIME_FAILURE, JobErrors.exitCode(new ScoringException("engine failed", null)));
  }

  @Test
  void anExceptionInsideSparksFailureKeepsItsExitCodeAndMessage() {
    BadInputException bad = new BadInputException("x", 3, "in", "row 3 is null");
    assertEquals(ExitCodes.BAD_INPUT, JobErrors.exitCode(wrapped(bad)));
    assertEquals(bad.getMessage(), JobErrors.message(wrapped(bad)));
    assertEquals(
        ExitCodes.OUTPUT_CONFLICT,
        JobErrors.exitCode(wrapped(new OutputConflictException("exists"))));
  }

  @Test
  void unreadableInputIsBadInput() {
    assertEquals(
        ExitCodes.BAD_INPUT,
        JobErrors.exitCode(wrapped(new FileNotFoundException("/in/x.parquet"))));
    assertEquals(ExitCodes.RUNTIME_FAILURE, JobErrors.exitCode(new IllegalStateException("a bug")));
  }
}
