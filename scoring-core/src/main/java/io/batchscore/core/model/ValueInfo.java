package io.batchscore.core.model;

import io.batchscore.core.column.ElementType;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One input or output of a model: its name, what kind of value it is, and for tensors the element
 * type and shape. A dimension of {@code -1} is dynamic; its symbolic name (such as {@code N} or
 * {@code batch}), when the model has one, is in {@link #dimensionNames()}.
 */
public final class ValueInfo implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What kind of value an input or output holds. */
  public enum Kind {
    TENSOR,
    /** A sequence of maps, as the ZipMap node of scikit-learn's converters produces. */
    SEQUENCE_OF_MAPS,
    SEQUENCE,
    MAP,
    OTHER
  }

  private final String name;
  private final Kind kind;
  private final ElementType elementType;
  private final ElementType keyType;
  private final long[] shape;
  private final String[] dimensionNames;

  private ValueInfo(
      String name,
      Kind kind,
      ElementType elementType,
      ElementType keyType,
      long[] shape,
      String[] dimensionNames) {
    this.name = Objects.requireNonNull(name);
    this.kind = kind;
    this.elementType = elementType;
    this.keyType = keyType;
    this.shape = shape;
    this.dimensionNames = dimensionNames;
  }

  public static ValueInfo tensor(
      String name, ElementType type, long[] shape, String[] dimensionNames) {
    String[] dims = dimensionNames == null ? new String[shape.length] : dimensionNames.clone();
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] != null && dims[i].isEmpty()) {
        dims[i] = null;
      }
    }
    return new ValueInfo(name, Kind.TENSOR, type, null, shape.clone(), dims);
  }

  /** A sequence of maps from {@code keyType} to {@code valueType}. */
  public static ValueInfo sequenceOfMaps(String name, ElementType keyType, ElementType valueType) {
    return new ValueInfo(name, Kind.SEQUENCE_OF_MAPS, valueType, keyType, null, null);
  }

  public static ValueInfo other(String name, Kind kind, ElementType elementType) {
    return new ValueInfo(name, kind, elementType, null, null, null);
  }

  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  public boolean isTensor() {
    return kind == Kind.TENSOR;
  }

  /** Tensor element type, or the map value type of a sequence of maps. */
  public ElementType elementType() {
    return elementType;
  }

  /** Map key type of a sequence of maps; null otherwise. */
  public ElementType keyType() {
    return keyType;
  }

  /** Tensor shape with {@code -1} for dynamic dimensions (a copy); null for non-tensors. */
  public long[] shape() {
    return shape == null ? null : shape.clone();
  }

  public int rank() {
    return shape == null ? 0 : shape.length;
  }

  public long dim(int i) {
    return shape[i];
  }

  /** Symbolic dimension names, null entries where a dimension has none (a copy). */
  public String[] dimensionNames() {
    return dimensionNames == null ? null : dimensionNames.clone();
  }

  /**
   * Number of elements per row: the product of all dimensions after the first, or -1 when one of
   * them is dynamic. A rank-1 tensor has one element per row.
   */
  public long elementsPerRow() {
    if (shape == null) {
      return -1;
    }
    long n = 1;
    for (int i = 1; i < shape.length; i++) {
      if (shape[i] < 0) {
        return -1;
      }
      n *= shape[i];
    }
    return n;
  }

  /** The shape written as in the model, for example {@code [N,30]} or {@code [batch,seq,384]}. */
  public String shapeString() {
    if (shape == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      if (shape[i] >= 0) {
        sb.append(shape[i]);
      } else {
        sb.append(dimensionNames[i] != null ? dimensionNames[i] : "?");
      }
    }
    return sb.append(']').toString();
  }

  /** A short description such as {@code float[N,30]} or {@code seq(map(int64,float))}. */
  public String typeString() {
    switch (kind) {
      case TENSOR:
        return elementType + shapeString();
      case SEQUENCE_OF_MAPS:
        return "seq(map(" + keyType + "," + elementType + "))";
      default:
        return kind.name().toLowerCase(java.util.Locale.ROOT) + "(" + elementType + ")";
    }
  }

  @Override
  public String toString() {
    return name + ": " + typeString();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ValueInfo)) {
      return false;
    }
    ValueInfo v = (ValueInfo) o;
    return name.equals(v.name)
        && kind == v.kind
        && elementType == v.elementType
        && keyType == v.keyType
        && Arrays.equals(shape, v.shape);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, kind, elementType, keyType, Arrays.hashCode(shape));
  }
}
