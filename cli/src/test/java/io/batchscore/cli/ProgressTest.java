package io.batchscore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The progress bar's share of the input scored. */
class ProgressTest {
  @Test
  void aCsvInputReadFarAheadShowsTheRowsScoredNotTheBytesRead() {
    // 200,000 rows of 300 bytes; the reader has handed out 188,416 of them (94% of the bytes)
    // while 16,384 were scored.
    long size = 200_000L * 300;
    long[] bytes = {188_416L * 300, size, 188_416};
    assertEquals(16_384 / 200_000.0, Progress.fraction(16_384, -1, bytes), 1e-9);
  }

  @Test
  void parquetRowCountsAreExactAndUnknownInputsShowNoShare() {
    assertEquals(0.25, Progress.fraction(50, 200, new long[] {-1, -1, -1}));
    assertEquals(-1, Progress.fraction(50, -1, new long[] {-1, -1, -1}));
    assertEquals(-1, Progress.fraction(0, -1, new long[] {0, 1000, 0}), "nothing read yet");
  }
}
