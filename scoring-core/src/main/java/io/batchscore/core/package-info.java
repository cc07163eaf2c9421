/**
 * Batch scoring of ONNX models: bind a {@link io.batchscore.core.spec.ScoringSpec} to a model and
 * an input's schema once ({@link io.batchscore.core.ScoringPlan#bind}), open a {@link
 * io.batchscore.core.BatchScorer} from the plan, and score {@link
 * io.batchscore.core.column.ColumnBatch}es.
 *
 * <p>This package is the library's entry point: the plan, the scorer and its options, results, the
 * exceptions of scoring ({@link io.batchscore.core.BadInputException}, {@link
 * io.batchscore.core.ScoringException}), and {@link io.batchscore.core.Models#inspect} for reading
 * what a model is. Everything else here is package-private: the checks behind {@code bind}, the
 * input assemblers and output writers of the hot path, the chunk scheduler, and the per-JVM model
 * cache, which shares one session per (model, engine, device, options) between all scorers of a
 * process. Engines are behind an internal interface ({@code io.batchscore.core.engine}), which
 * nothing in the public API exposes.
 *
 * <p>Limits: a {@link io.batchscore.core.BatchScorer} is for one thread (open one per thread; they
 * share the cached session); ONNX Runtime and DJL types never appear in this API.
 */
package io.batchscore.core;
