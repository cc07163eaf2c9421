package io.batchscore.spark;

import io.batchscore.core.ScoringPlan;
import io.batchscore.core.column.ElementType;
import java.io.Serializable;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * Everything a task needs to score a partition, made on the driver and sent with the task: the
 * bound {@link ScoringPlan} (the spec, checked against the model and the input's schema once, on
 * the driver), the layout of the projected input rows or scanned batches, and the output schema.
 * No model bytes: the spec names where each executor finds the model.
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

  /** Prediction columns whose statistics tasks gather (null: none, e.g. for a Transformer). */
  java.util.List<String> statsNumeric;
  java.util.List<String> statsLabels;

  /**
   * The driver's Hadoop configuration, for a model on a Hadoop file system; null otherwise (see
   * {@link ModelFiles#isRemote}). Broadcast: a task's closure is deserialized once per task, and
   * a Configuration took ~13 ms of every task to read back; a broadcast value is read once per
   * executor. Spark's own wrapper, which Spark's Kryo serializer (spark.serializer) writes with
   * Java serialization as it must.
   */
  org.apache.spark.broadcast.Broadcast<org.apache.spark.util.SerializableConfiguration> hadoopConf;
  ScoreMetrics metrics;
}
