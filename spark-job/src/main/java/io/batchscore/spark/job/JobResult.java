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
 */
public record JobResult(
    String partition,
    String reportPath,
    String reportJson,
    long rowsScored,
    long rowsRejected,
    double seconds) {}
