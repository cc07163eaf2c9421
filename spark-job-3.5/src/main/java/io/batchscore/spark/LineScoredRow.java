package io.batchscore.spark;

/** {@link ScoredRow} on the Spark 3.5 line, which has no type beyond what it reads. */
final class LineScoredRow extends ScoredRow {
  private static final long serialVersionUID = 1L;

  LineScoredRow(TaskPlan plan) {
    super(plan);
  }
}
