package io.batchscore.core;

import io.batchscore.core.engine.EngineSession;
import io.batchscore.core.engine.HostTensor;
import io.batchscore.core.engine.Runner;
import io.batchscore.core.model.ValueInfo;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one dummy row (zeros, empty strings; dynamic dimensions set to 1) through a new session so
 * that the first real batch does not pay for ONNX Runtime's lazy initialisation. A model that
 * cannot run on zeros is logged, not failed: real batches will report their own errors.
 */
final class WarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

  private WarmUp() {}

  public static void run(EngineSession session, String model) {
    long start = System.nanoTime();
    try (Runner r = session.newRunner()) {
      for (ValueInfo in : session.signature().inputs().values()) {
        if (!in.isTensor() || !in.elementType().isScorable()) {
          return;
        }
        long[] shape = in.shape();
        for (int i = 0; i < shape.length; i++) {
          if (shape[i] < 0) {
            shape[i] = 1;
          }
        }
        HostTensor t = r.input(in.name(), shape);
        if (t.strings() != null) {
          Arrays.fill(t.strings(), "");
        } else {
          for (int i = 0; i < t.bytes().limit(); i++) {
            t.bytes().put(i, (byte) 0);
          }
        }
      }
      Set<String> outs = new LinkedHashSet<>(session.signature().outputs().keySet());
      r.run(outs);
      LOG.debug("warmed up {} in {} ms", model, (System.nanoTime() - start) / 1_000_000);
    } catch (RuntimeException e) {
      LOG.warn("warm-up of {} failed (scoring continues): {}", model, e.getMessage());
    }
  }
}
