package io.batchscore.core.spec;

import java.util.Locale;

/** What happens to a row whose feature is null, NaN or infinite (all three count as missing). */
public enum NullPolicy {
  /** Stop with an error naming the row, the column and the model input (the default). */
  FAIL,
  /** Leave the row out of the output and report it as rejected, with the reason. */
  SKIP,
  /** Score the row with the spec's fill value in place of the null or NaN. */
  FILL;

  public static NullPolicy parse(String s) {
    return NullPolicy.valueOf(s.trim().toUpperCase(Locale.ROOT));
  }

  public String specName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
