package io.batchscore.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hidden file an output is written to before it is renamed into place: {@code
 * .NAME.batchscore-UUID} beside the target, with a lock file {@code .NAME.batchscore-UUID.lock}
 * that the run holds (an OS file lock) for as long as it lives.
 *
 * <p>A run killed with -9 cannot delete its file, so each new run into the same folder first
 * removes the hidden files of earlier runs for the same name whose lock nobody holds: the operating
 * system drops a lock when its process dies, and a run that is still writing keeps its own. The
 * lock file is created before the hidden file, so a hidden file without one is always stale.
 */
final class TempOutput implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TempOutput.class);
  private static final String MARK = ".batchscore-";
  private static final String LOCK = ".lock";

  private final Path target;
  private final Path file;
  private final Path lockFile;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private volatile boolean done;

  private TempOutput(Path target, Path file, Path lockFile, FileChannel ch, FileLock lock) {
    this.target = target;
    this.file = file;
    this.lockFile = lockFile;
    this.lockChannel = ch;
    this.lock = lock;
  }

  /** Removes stale hidden files of earlier runs for {@code target}, then claims a new one. */
  static TempOutput create(Path target) throws IOException {
    try {
      return claim(target);
    } catch (java.nio.file.NotDirectoryException e) {
      throw new IOException(
          "cannot write " + target + ": " + target.getParent() + " is not a folder", e);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IOException("cannot write " + target + ": no folder " + target.getParent(), e);
    } catch (java.nio.file.AccessDeniedException e) {
      throw new IOException(
          "cannot write " + target + ": permission denied in " + target.getParent(), e);
    }
  }

  private static TempOutput claim(Path target) throws IOException {
    Path dir = target.getParent();
    String prefix = "." + target.getFileName() + MARK;
    removeStale(dir, prefix);
    String id = UUID.randomUUID().toString();
    Path lockFile = dir.resolve(prefix + id + LOCK);
    FileChannel ch =
        FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.lock();
    } catch (IOException | RuntimeException e) {
      ch.close();
      Files.deleteIfExists(lockFile);
      throw e;
    }
    return new TempOutput(target, dir.resolve(prefix + id), lockFile, ch, lock);
  }

  /** Where to write. */
  Path path() {
    return file;
  }

  /** Renames the finished file onto the target, atomically. */
  void commit() throws IOException {
    Files.move(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    done = true;
  }

  /**
   * Deletes the hidden file unless it was committed, and releases and deletes the lock file. Safe
   * from a shutdown hook while the run closes it too.
   */
  @Override
  public synchronized void close() {
    try {
      if (!done) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", file, e.getMessage());
    }
    try {
      if (lock.isValid()) {
        lock.release();
      }
      lockChannel.close();
      Files.deleteIfExists(lockFile);
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", lockFile, e.getMessage());
    }
  }

  private static void removeStale(Path dir, String prefix) throws IOException {
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(
            dir,
            f -> {
              String n = f.getFileName().toString();
              return n.startsWith(prefix) && !n.endsWith(LOCK);
            })) {
      for (Path f : files) {
        Path lockFile = f.resolveSibling(f.getFileName() + LOCK);
        if (unheld(lockFile)) {
          Files.deleteIfExists(f);
          Files.deleteIfExists(lockFile);
          LOG.info("removed {}, left by an earlier run that did not finish", f);
        }
      }
    }
    // Lock files whose hidden file is gone (a run killed between the two deletes), once they are
    // a minute old: a new run creates and locks its lock file a moment before its hidden file.
    long minuteAgo = System.currentTimeMillis() - 60_000;
    try (DirectoryStream<Path> locks =
        Files.newDirectoryStream(
            dir,
            f -> {
              String n = f.getFileName().toString();
              return n.startsWith(prefix) && n.endsWith(LOCK);
            })) {
      for (Path l : locks) {
        Path f =
            l.resolveSibling(
                l.getFileName()
                    .toString()
                    .substring(0, l.getFileName().toString().length() - LOCK.length()));
        if (!Files.exists(f) && Files.getLastModifiedTime(l).toMillis() < minuteAgo && unheld(l)) {
          Files.deleteIfExists(l);
        }
      }
    }
  }

  /** Whether no live run holds the lock file (true when it does not exist). */
  private static boolean unheld(Path lockFile) {
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock l = ch.tryLock();
      if (l == null) {
        return false;
      }
      l.release();
      return true;
    } catch (java.nio.file.NoSuchFileException e) {
      return true;
    } catch (OverlappingFileLockException e) {
      return false; // held by a run in this JVM
    } catch (IOException e) {
      return false; // cannot tell: leave it
    }
  }
}
