package io.batchscore.core;

import io.batchscore.core.column.Column;
import io.batchscore.core.engine.OutputValue;
import io.batchscore.core.spec.OutputBinding;
import java.util.List;
import java.util.Map;

/** A sequence-of-maps output (ZipMap): a map column with keys in sorted order. */
final class MapWriter extends OutputWriter {
  private final Flat keys;
  private final Flat values;
  private final int[] offsets;
  private int row;

  MapWriter(OutputBinding b, int rows, String model, OutputColumn col) {
    super(b, rows, model);
    this.keys = new Flat(col.type().keyType(), rows * 2);
    this.values = new Flat(col.type().element(), rows * 2);
    this.offsets = new int[rows + 1];
  }

  @Override
  public void write(OutputValue v, int offset, int n, int[] tokens) {
    if (!(v instanceof OutputValue.MapSequence seq) || seq.rows().size() != n) {
      throw unexpected(v, "a sequence of " + n + " maps");
    }
    for (Map<Object, Object> m : seq.rows()) {
      Object[] ks = MapRows.sortedKeys(m);
      keys.ensure(ks.length);
      values.ensure(ks.length);
      for (Object k : ks) {
        MapRows.put(keys, k);
        MapRows.put(values, m.get(k));
      }
      offsets[row + 1] = offsets[row] + ks.length;
      row++;
    }
  }

  @Override
  public List<Column> finish() {
    return List.of(Column.ofMaps(offsets, keys.column(), values.column(), null, rows));
  }
}
