package io.batchscore.spark;

import org.apache.spark.unsafe.types.VariantVal;

/** {@link ScoredRow} on the Spark 4 line: with the getter of Spark 4's variant type. */
final class LineScoredRow extends ScoredRow {
  private static final long serialVersionUID = 1L;

  LineScoredRow(TaskPlan plan) {
    super(plan);
  }

  @Override
  public VariantVal getVariant(int ordinal) {
    return (VariantVal) passthrough(ordinal);
  }
}
