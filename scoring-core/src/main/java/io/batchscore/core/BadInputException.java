package io.batchscore.core;

/**
 * A batch holds data the model cannot take: a null or NaN feature under the {@code fail} policy, an
 * array of the wrong length, a value out of range, a missing column. The message names the column,
 * the row (0-based, within the batch as given) and the model input.
 */
public class BadInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String column;
  private final long row;
  private final String modelInput;

  public BadInputException(String column, long row, String modelInput, String message) {
    super(message);
    this.column = column;
    this.row = row;
    this.modelInput = modelInput;
  }

  /** The column involved, or null. */
  public String column() {
    return column;
  }

  /** The row within the batch, or -1 when the problem is not a single row's. */
  public long row() {
    return row;
  }

  /** The model input involved, or null. */
  public String modelInput() {
    return modelInput;
  }

  /** A copy of this error with the row shifted, for callers that know the batch's position. */
  public BadInputException withRowOffset(long offset, String where) {
    long r = row < 0 ? row : row + offset;
    String msg = getMessage();
    if (row >= 0) {
      msg = msg.replace("row " + row, "row " + r);
    }
    if (where != null) {
      msg = msg + " [" + where + "]";
    }
    BadInputException e = new BadInputException(column, r, modelInput, msg);
    e.initCause(this);
    return e;
  }
}
