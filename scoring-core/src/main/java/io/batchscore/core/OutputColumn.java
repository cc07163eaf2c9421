package io.batchscore.core;

import io.batchscore.core.column.ColumnType;
import io.batchscore.core.spec.OutputBinding;
import java.io.Serializable;
import java.util.List;

/**
 * A column the scorer writes, known before any data is read.
 *
 * @param name the column's name
 * @param type its type
 * @param binding the spec's output binding it comes from
 * @param scores true for the scores column of a top_k binding
 * @param labels the class names this column uses (argmax, top_k), or null
 */
public record OutputColumn(
    String name, ColumnType type, OutputBinding binding, boolean scores, List<String> labels)
    implements Serializable {}
