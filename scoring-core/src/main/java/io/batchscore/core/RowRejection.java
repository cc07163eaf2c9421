package io.batchscore.core;

/**
 * A row left out under the {@code skip} null policy.
 *
 * @param row the row's index in the batch as given
 * @param column the column that held the null or NaN
 * @param modelInput the model input it feeds
 * @param reason {@code null} or {@code NaN}
 */
public record RowRejection(int row, String column, String modelInput, String reason) {}
