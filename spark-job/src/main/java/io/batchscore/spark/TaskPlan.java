package io.batchscore.spark;

import io.batchscore.core.ScoringPlan;
import io.batchscore.core.column.ElementType;
import java.io.Serializable;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * What every task of a query needs to score a partition, made on the driver and broadcast: the
 * bound {@link ScoringPlan} (the spec, checked against the model and the input's schema once, on
 * the driver), the layout of the projected input rows or scanned batches, and the output schema. No
 * model bytes: the spec names where each executor finds the model.
 *
 * <p>Broadcast, not sent in each task's closure: a closure is deserialized in every task, and this
 * object graph took more CPU to read back there than parsing and checking the spec had (see
 * docs/performance.md); a broadcast value is read once per executor JVM. The counters, which each
 * task must register, travel in the closure ({@link PartitionScorer}).
 */
final class TaskPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The spec bound on the driver; tasks neither parse nor check it again. */
  ScoringPlan scoring;

  /** Feature columns as the batch presents them to the scorer (the spec's names). */
  String[] featureNames;

  /** Their ordinals in the projected input row, or in the scan's batches when columnar. */
  int[] featureOrdinals;

  /** True when tasks read the scan's column vectors ({@link ColumnarBatchReader}). */
  boolean columnar;

  /** Columnar only: the features' Spark types as the scan reads them (uncast). */
  DataType[] featureSourceTypes;

  /** Element types the driver cast them to. */
  ElementType[] featureTypes;

  /** True for array features. */
  boolean[] featureIsArray;

  /** Passthrough columns: ordinals in the projected row (or scan) and Spark types. */
  int[] passthroughOrdinals;

  DataType[] passthroughTypes;

  /** Output layout: passthrough, predictions, then (optionally) model columns. */
  StructType outputSchema;

  String[] predictionColumns;
  boolean modelColumns;

  /** Whether tasks profile what they score (features and predictions; see ScoreMetrics). */
  boolean profile;
}
