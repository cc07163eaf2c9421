/**
 * Internal: the interface between the scorer and the inference engines. Not part of the API: its
 * types may change without notice, and no public method of batchscore takes or returns them.
 *
 * <p>An {@link io.batchscore.core.engine.Engine} opens an {@link
 * io.batchscore.core.engine.EngineSession} on a planned device ({@link
 * io.batchscore.core.engine.DevicePlanner}); each scoring thread runs batches through a {@link
 * io.batchscore.core.engine.Runner} of its own, filling {@link
 * io.batchscore.core.engine.HostTensor}s (direct buffers the engine reads without a copy) and
 * reading {@link io.batchscore.core.engine.OutputValue}s. The implementations are in {@code
 * engine.ort} (ONNX Runtime's Java API, the hot path) and {@code engine.djl} (DJL's ONNX Runtime
 * engine); this package does not name them: the scorer's registry does.
 */
package io.batchscore.core.engine;
