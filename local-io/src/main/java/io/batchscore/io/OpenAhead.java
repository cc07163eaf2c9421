package io.batchscore.io;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Opens a resource on a thread of its own while the caller opens something else: the CLI opens a
 * Parquet input (Parquet's classes, every file's footer) while ONNX Runtime loads its library and
 * the model, instead of one after the other.
 *
 * <p>{@link #take} hands the resource over, or throws the failure to open it as it was thrown.
 * {@link #discard} is for the path where it was never taken (the caller failed first): it waits for
 * the opening to end and closes what it opened, so nothing is left open behind an error.
 */
public final class OpenAhead<T extends AutoCloseable> {
  /** Opens the resource; runs once, on the opening thread. */
  @FunctionalInterface
  public interface Opener<T> {
    T open() throws IOException;
  }

  private final FutureTask<T> task;
  private boolean taken;

  private OpenAhead(String threadName, Opener<T> opener) {
    this.task = new FutureTask<>(opener::open);
    Thread t = new Thread(task, threadName);
    t.setDaemon(true);
    t.start();
  }

  public static <T extends AutoCloseable> OpenAhead<T> start(String threadName, Opener<T> opener) {
    return new OpenAhead<>(threadName, opener);
  }

  /**
   * Waits for the opening (uninterruptibly, as it cannot be stopped halfway) and hands the resource
   * over.
   */
  public T take() throws IOException {
    taken = true;
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return task.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          ReadAhead.rethrow(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** If the resource was never taken: waits for the opening and closes what it opened, quietly. */
  public void discard() {
    if (taken) {
      return;
    }
    taken = true;
    try {
      take().close();
    } catch (Exception e) {
      // the caller is already reporting an error of its own
    }
  }
}
