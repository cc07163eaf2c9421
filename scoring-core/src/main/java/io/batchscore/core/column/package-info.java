/**
 * The scorer's unit of data: a {@link io.batchscore.core.column.ColumnBatch} of named columns held
 * in primitive arrays (with an optional null mask and a size that may be below the arrays'
 * capacity, so readers can reuse them from batch to batch), the {@link
 * io.batchscore.core.column.ColumnType}s and {@link io.batchscore.core.column.ElementType}s of
 * columns and tensors, and the {@link io.batchscore.core.column.InputSchema} a spec is bound to.
 *
 * <p>Columns do not copy the arrays they wrap: a caller must not change them while a batch is
 * scored. Nothing here depends on the rest of batchscore.
 */
package io.batchscore.core.column;
