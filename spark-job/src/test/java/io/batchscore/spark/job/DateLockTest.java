package io.batchscore.spark.job;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.LocalDate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run of a date at a time: held, refused, released, and taken over only when stale. */
class DateLockTest {
  @TempDir java.nio.file.Path tmp;
  private static final LocalDate DATE = LocalDate.of(2026, 1, 2);

  private FileSystem fs() throws Exception {
    return FileSystem.getLocal(new Configuration());
  }

  private Path root() {
    return new Path(tmp.toUri());
  }

  private java.nio.file.Path lockFile() {
    return tmp.resolve("_locks/run_date=" + DATE);
  }

  @Test
  void aSecondRunOfTheDateIsRefusedWhileTheFirstHoldsTheLockAndAdmittedAfter() throws Exception {
    try (DateLock held = DateLock.acquire(fs(), root(), DATE)) {
      OutputConflictException e =
          assertThrows(OutputConflictException.class, () -> DateLock.acquire(fs(), root(), DATE));
      assertTrue(
          e.getMessage().contains("another run of run_date=2026-01-02 into"), e.getMessage());
      assertTrue(
          e.getMessage().contains("process " + ProcessHandle.current().pid()), e.getMessage());
      DateLock.acquire(fs(), root(), DATE.plusDays(1)).close(); // another date is free
      held.check();
    }
    assertFalse(Files.exists(lockFile()), "released");
    DateLock.acquire(fs(), root(), DATE).close();
    assertFalse(Files.exists(tmp.resolve("_locks")), "no empty lock folder left");
  }

  @Test
  void theLockOfARunKilledOnThisHostIsTakenOverAtOnce() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    Files.createDirectories(lockFile().getParent());
    Files.writeString(
        lockFile(),
        "{\"owner\":\"dead\",\"host\":\""
            + java.net.InetAddress.getLocalHost().getHostName()
            + "\",\"pid\":"
            + p.pid()
            + ",\"startedAt\":\"2026-01-02T00:00:00Z\"}");
    try (DateLock l = DateLock.acquire(fs(), root(), DATE)) {
      l.check();
    }
  }

  @Test
  void aLockFromElsewhereIsRespectedUntilItGoesUnrefreshedForTwoMinutes() throws Exception {
    Files.createDirectories(lockFile().getParent());
    Files.writeString(
        lockFile(),
        "{\"owner\":\"other\",\"host\":\"another-host\",\"pid\":1,\"startedAt\":\"x\"}");
    assertThrows(OutputConflictException.class, () -> DateLock.acquire(fs(), root(), DATE));
    Files.setLastModifiedTime(
        lockFile(),
        java.nio.file.attribute.FileTime.fromMillis(
            System.currentTimeMillis() - DateLock.STALE.toMillis() - 5_000));
    DateLock taken = DateLock.acquire(fs(), root(), DATE);
    taken.check();
    // The old holder comes back: it finds its lock gone and must not commit.
    Files.writeString(lockFile(), "{\"owner\":\"other\"}");
    OutputConflictException e = assertThrows(OutputConflictException.class, taken::check);
    assertTrue(e.getMessage().contains("was taken over by another run"), e.getMessage());
    taken.close();
    assertTrue(Files.exists(lockFile()), "a lock that is not its own is not deleted on close");
  }

  @Test
  void aTornLockFileIsJudgedByItsAge() throws Exception {
    Files.createDirectories(lockFile().getParent());
    Files.writeString(lockFile(), "{\"own");
    assertThrows(OutputConflictException.class, () -> DateLock.acquire(fs(), root(), DATE));
    Files.setLastModifiedTime(lockFile(), java.nio.file.attribute.FileTime.fromMillis(0));
    DateLock.acquire(fs(), root(), DATE).close();
  }
}
