package io.batchscore.spark;

import io.batchscore.core.ElementType;
import java.io.Serializable;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * Everything a task needs to score a partition, made on the driver after validation and sent
 * with the task: the spec, where the model is, the layout of the projected input rows, and the
 * output schema. No model bytes.
 */
final class ScoringPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The spec as canonical JSON, with the model path as the user gave it. */
  String specJson;
  /** The model as the spec names it (local path, URI, or a file shipped with --files). */
  String modelRef;
  /** The folder relative model paths resolve against on the driver's file system. */
  String baseDir;

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
  String modelName;
  String modelVersion;
  String modelSha256;

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
