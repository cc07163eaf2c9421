package io.batchscore.spark;

import io.batchscore.core.BadInputException;
import io.batchscore.core.BatchScorer;
import io.batchscore.core.RowRejection;
import io.batchscore.core.ScoreResult;
import io.batchscore.core.ScorerOptions;
import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.model.ModelLoadException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Scores one partition: streams its rows through a {@link BatchScorer} in batches of the spec's
 * size, never holding more than one call's worth (one batch per CPU of the task). The scorer's
 * session comes from the per-JVM model cache, so an executor loads the model once for all its
 * tasks. CPU threads follow {@code spark.task.cpus} (one batch at a time per CPU); on a GPU
 * executor the GPU Spark assigned to the task picks the CUDA device.
 */
final class PartitionScorer<T> implements FlatMapFunction<Iterator<T>, InternalRow> {
  private static final long serialVersionUID = 1L;
  private final Broadcast<TaskPlan> broadcast;
  private final ScoreMetrics metrics;

  /**
   * The driver's Hadoop configuration, for a model on a Hadoop file system; null otherwise (see
   * {@link ModelFiles#isRemote}). Broadcast: a Configuration took ~13 ms of every task to read back
   * from a closure. Spark's own wrapper, which Spark's Kryo serializer (spark.serializer) writes
   * with Java serialization as it must.
   */
  private final Broadcast<SerializableConfiguration> hadoopConf;

  /** The stage's tasks, whose profiles are merged into one ({@link ScorerOptions#profileParts}). */
  private final int tasks;

  /** The broadcast plan, read on the task's thread. */
  private transient TaskPlan plan;

  PartitionScorer(
      Broadcast<TaskPlan> plan,
      ScoreMetrics metrics,
      Broadcast<SerializableConfiguration> hadoopConf,
      int tasks) {
    this.broadcast = plan;
    this.tasks = Math.max(1, tasks);
    this.metrics = metrics;
    this.hadoopConf = hadoopConf;
  }

  @Override
  public Iterator<InternalRow> call(Iterator<T> rows) throws Exception {
    long start = System.nanoTime();
    plan = broadcast.value();
    TaskContext task = TaskContext.get();
    ScorerOptions.Builder opts =
        ScorerOptions.builder()
            .callerHandlesPassthrough()
            .profile(plan.profile)
            .profileParts(tasks);
    if (task != null) {
      // A task with several CPUs (spark.task.cpus) scores one batch per CPU at once, each on one
      // intra-op thread: on a CPU, ONNX Runtime scores more rows this way than one batch on all
      // of them (1.5x on the sample's tabular models, docs/performance.md). A GPU plan runs one.
      int cpus = Math.max(1, task.cpus());
      opts.cpuShare(cpus).concurrency(cpus).batchesPerCall(cpus);
      ResourceInformation gpu = task.resourcesJMap().get("gpu");
      opts.gpuAddresses(gpu == null ? null : List.of(gpu.addresses()));
    }
    BatchScorer scorer = open(opts.build());
    if (scorer.loadedModel()) {
      metrics.modelLoads.add(SparkEnv.get() == null ? "driver" : SparkEnv.get().executorId());
    }
    ScoringIterator it = new ScoringIterator(rows, scorer, task == null ? 0 : task.partitionId());
    if (task != null) {
      task.addTaskCompletionListener(
          (org.apache.spark.util.TaskCompletionListener) ctx -> it.close());
    }
    long setup = System.nanoTime() - start;
    metrics.taskSetup.add(setup);
    metrics.taskSetupNanos.add(setup);
    return it;
  }

  /**
   * Opens the driver's plan with the model where this executor finds it (no spec parsed or
   * checked).
   */
  private BatchScorer open(ScorerOptions opts) throws ModelLoadException {
    return BatchScorer.open(
        plan.scoring,
        ModelFiles.locator(hadoopConf == null ? null : hadoopConf.value().value()),
        opts);
  }

  /** Reads a batch, scores it, hands out its rows; then the next batch. */
  private final class ScoringIterator implements Iterator<InternalRow> {
    private final BatchScorer scorer;
    private final BatchReader reader;
    private final ScoredRow row;
    private final int partition;
    private long rowsBefore;
    private ScoreResult current;
    private Column[] predictions;
    private int pos;
    private boolean closed;

    @SuppressWarnings("unchecked")
    ScoringIterator(Iterator<T> in, BatchScorer scorer, int partition) {
      this.scorer = scorer;
      this.partition = partition;
      // The rows the reader copies out of Spark's batches for each call.
      int rows = scorer.rowsPerCall();
      this.reader =
          plan.columnar
              ? new ColumnarBatchReader(plan, rows, (Iterator<ColumnarBatch>) in)
              : new RowBatchReader(plan, rows, (Iterator<InternalRow>) in);
      this.row = new LineScoredRow(plan);
    }

    @Override
    public boolean hasNext() {
      while (current == null || pos >= current.rowsScored()) {
        if (closed || !scoreNext()) {
          close();
          return false;
        }
      }
      return true;
    }

    /** Reads and scores the next batch; false at the end of the partition. */
    private boolean scoreNext() {
      int n = reader.read();
      if (n == 0) {
        return false;
      }
      ColumnBatch batch = reader.batch();
      long start = System.nanoTime();
      try {
        current = scorer.score(batch);
      } catch (BadInputException e) {
        String where = "partition " + partition + ", rows counted from the partition's start";
        if (reader.firstFile() != null) {
          where += "; batch starting in input " + reader.firstFile();
        }
        throw e.withRowOffset(rowsBefore, where);
      }
      metrics.latency.add(System.nanoTime() - start);
      metrics.batches.add(1);
      metrics.rowsIn.add(n);
      metrics.rowsScored.add(current.rowsScored());
      for (RowRejection r : current.rejections()) {
        metrics.rejected.add(r.reason() + ":" + r.column());
      }
      List<Column> cols = new ArrayList<>();
      for (String name : plan.predictionColumns) {
        cols.add(current.columns().column(name));
      }
      predictions = cols.toArray(new Column[0]);
      row.batch(current, predictions, reader, System.currentTimeMillis() * 1000);
      rowsBefore += n;
      pos = 0;
      return true;
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return row.at(pos++);
    }

    void close() {
      if (!closed) {
        closed = true;
        if (plan.profile) {
          metrics.profile.add(scorer.profile());
          if (!scorer.comparisons().isEmpty()) {
            metrics.comparisons.add(scorer.comparisons());
          }
        }
        scorer.close();
      }
    }
  }
}
