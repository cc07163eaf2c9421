package io.batchscore.core;

/**
 * Counters of a {@link ModelCache}.
 *
 * @param loads sessions opened
 * @param hits acquisitions served by an existing (or loading) session
 * @param evictions sessions dropped to keep within the bound
 * @param closes sessions closed
 * @param size sessions held now
 */
record CacheStats(long loads, long hits, long evictions, long closes, int size) {}
