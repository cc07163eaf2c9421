package io.batchscore.cli;

import io.batchscore.cli.io.TableReader;
import java.io.PrintWriter;

/**
 * A one-line progress bar on stderr, redrawn at most five times a second; off when not a terminal.
 */
final class Progress {
  private final PrintWriter err;
  private final boolean on;
  private final TableReader reader;
  private final long start = System.nanoTime();
  private long lastDraw;

  Progress(PrintWriter err, Boolean forced, TableReader reader) {
    this.err = err;
    this.on = forced != null ? forced : System.console() != null;
    this.reader = reader;
  }

  void update(long rows) {
    if (!on) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastDraw < 200_000_000L) {
      return;
    }
    lastDraw = now;
    double secs = (now - start) / 1e9;
    double fraction = -1;
    if (reader.totalRows() > 0) {
      fraction = rows / (double) reader.totalRows();
    } else if (reader.bytesProgress()[1] > 0) {
      fraction = reader.bytesProgress()[0] / (double) reader.bytesProgress()[1];
    }
    int width = 30;
    StringBuilder bar = new StringBuilder("\r[");
    int filled = fraction < 0 ? 0 : (int) Math.min(width, Math.round(fraction * width));
    bar.append("#".repeat(filled)).append(" ".repeat(width - filled)).append("] ");
    if (fraction >= 0) {
      bar.append(String.format("%3.0f%% ", fraction * 100));
    }
    bar.append(String.format("%,d rows  %,.0f rows/s ", rows, rows / Math.max(secs, 1e-9)));
    err.print(bar);
    err.flush();
  }

  void clear() {
    if (on && lastDraw != 0) {
      err.print("\r" + " ".repeat(79) + "\r");
      err.flush();
    }
  }
}
