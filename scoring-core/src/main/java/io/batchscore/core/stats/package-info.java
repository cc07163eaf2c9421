/**
 * Mergeable statistics of prediction columns, gathered batch by batch while scoring and merged
 * across tasks, for the run report: count, min, max, mean and standard deviation, a log-linear
 * histogram sketch, and label counts.
 */
package io.batchscore.core.stats;
