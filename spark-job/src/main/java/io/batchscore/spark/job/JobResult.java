package io.batchscore.spark.job;

/**
 * What a finished run produced.
 *
 * @param partition the date's output partition
 * @param reportPath where the run report was written
 * @param reportJson the run report
 * @param rowsScored rows written
 * @param rowsRejected rows left out under the skip policy
 * @param seconds wall time of the run
 * @param status the run's drift status: the worst of its columns' against the reference and the
 *     previous run ({@code ok} when there is nothing to compare with)
 */
public record JobResult(
    String partition,
    String reportPath,
    String reportJson,
    long rowsScored,
    long rowsRejected,
    double seconds,
    io.batchscore.core.monitor.DriftStatus status) {}
