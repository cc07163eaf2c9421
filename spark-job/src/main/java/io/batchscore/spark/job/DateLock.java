package io.batchscore.spark.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a date at a time per output: a lock file {@code _locks/run_date=D} under the output
 * root, created only if absent (an atomic create on HDFS-like and local file systems), held from
 * before the run touches the output until after it commits or aborts.
 *
 * <p>The create is atomic on HDFS and local disks; on object stores without an atomic
 * create-if-absent (S3) two runs started at the same moment may both take it, which is one more
 * reason to write tables there (README).
 *
 * <p>A second run of the same date while the first holds the lock is refused with an output
 * conflict (exit 6) naming the holder. The holder refreshes the lock's modification time every
 * {@link #HEARTBEAT}; a lock not refreshed for {@link #STALE} is taken over, and so is at once a
 * lock whose holder ran on this host under a process id that no longer exists (a run killed with
 * -9). Taking over renames the stale lock aside first, which succeeds for one run only, so two runs
 * that find the same stale lock never both proceed. A holder checks the lock is still its own
 * before it commits.
 */
final class DateLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DateLock.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration HEARTBEAT = Duration.ofSeconds(10);
  static final Duration STALE = Duration.ofMinutes(2);

  private final FileSystem fs;
  private final Path file;
  private final String owner;
  private final ScheduledExecutorService heartbeat;

  /** The output root, when this run created it: removed again if the run leaves it empty. */
  private final Path createdRoot;

  private DateLock(FileSystem fs, Path file, String owner, Path createdRoot) {
    this.fs = fs;
    this.createdRoot = createdRoot;
    this.file = file;
    this.owner = owner;
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "batchscore-date-lock");
              t.setDaemon(true);
              return t;
            });
    long ms = HEARTBEAT.toMillis();
    heartbeat.scheduleAtFixedRate(this::touch, ms, ms, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lock of {@code date} under {@code root}.
   *
   * @throws OutputConflictException another live run of the date holds it
   */
  static DateLock acquire(FileSystem fs, Path root, LocalDate date) throws IOException {
    Path file = new Path(root, "_locks/run_date=" + date);
    Path createdRoot = fs.exists(root) ? null : root;
    fs.mkdirs(file.getParent());
    String owner = UUID.randomUUID().toString();
    for (int attempt = 0; attempt < 3; attempt++) {
      if (create(fs, file, owner)) {
        return new DateLock(fs, file, owner, createdRoot);
      }
      FileStatus st;
      JsonNode holder;
      try {
        st = fs.getFileStatus(file);
        holder = read(fs, file);
      } catch (java.io.FileNotFoundException gone) {
        continue; // released meanwhile: try again
      }
      String why = staleness(st, holder);
      if (why == null) {
        throw new OutputConflictException(
            "another run of run_date="
                + date
                + " into "
                + root
                + " is in progress ("
                + describe(holder, st)
                + "); one run of a date at a time. If that"
                + " run is dead, its lock "
                + file
                + " expires "
                + STALE.toMinutes()
                + " minutes after its last refresh");
      }
      Path aside = new Path(file.getParent(), file.getName() + ".stale." + owner);
      if (fs.rename(file, aside)) {
        LOG.warn("taking over the lock of run_date={}: {} ({})", date, why, describe(holder, st));
        fs.delete(aside, false);
      }
    }
    throw new OutputConflictException(
        "cannot take the lock " + file + " of run_date=" + date + ": other runs keep taking it");
  }

  private static boolean create(FileSystem fs, Path file, String owner) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("owner", owner);
    n.put("host", host());
    n.put("pid", ProcessHandle.current().pid());
    n.put("startedAt", java.time.Instant.now().toString());
    byte[] bytes = JSON.writeValueAsBytes(n);
    if ("file".equals(fs.getUri().getScheme())) {
      // Hadoop's local create(overwrite=false) checks, then creates: O_EXCL is atomic.
      try {
        java.nio.file.Files.write(
            java.nio.file.Path.of(fs.makeQualified(file).toUri()),
            bytes,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        return false;
      }
      return true;
    }
    try (OutputStream out = fs.create(file, false)) {
      out.write(bytes);
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      if (fs.exists(file) && e.getMessage() != null && e.getMessage().contains("exists")) {
        return false;
      }
      throw e;
    }
    return owner.equals(read(fs, file).path("owner").asText());
  }

  /** Why a holder's lock may be taken over, or null when it is live. */
  private static String staleness(FileStatus st, JsonNode holder) {
    long age = System.currentTimeMillis() - st.getModificationTime();
    if (age > STALE.toMillis()) {
      return "not refreshed for " + age / 1000 + " s";
    }
    if (host().equals(holder.path("host").asText())
        && holder.has("pid")
        && ProcessHandle.of(holder.path("pid").asLong()).isEmpty()) {
      return "its process " + holder.path("pid").asLong() + " on this host has ended";
    }
    return null;
  }

  private static String describe(JsonNode holder, FileStatus st) {
    return "process "
        + holder.path("pid").asText("?")
        + " on "
        + holder.path("host").asText("?")
        + ", started "
        + holder.path("startedAt").asText("?")
        + ", refreshed "
        + (System.currentTimeMillis() - st.getModificationTime()) / 1000
        + " s ago";
  }

  private static JsonNode read(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (com.fasterxml.jackson.core.JsonProcessingException torn) {
      return JSON.createObjectNode(); // written by a run killed mid-write: judged by its age
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private void touch() {
    try {
      fs.setTimes(file, System.currentTimeMillis(), -1);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot refresh the lock {}: {}", file, e.getMessage());
    }
  }

  /** Checks that this run still holds the lock (it was not taken over as stale). */
  void check() throws IOException {
    JsonNode n;
    try {
      n = read(fs, file);
    } catch (java.io.FileNotFoundException e) {
      n = JSON.createObjectNode();
    }
    if (!owner.equals(n.path("owner").asText())) {
      throw new OutputConflictException(
          "the lock "
              + file
              + " of this run was taken over by another"
              + " run (this one was not refreshed for "
              + STALE.toMinutes()
              + " minutes); nothing committed");
    }
  }

  @Override
  public void close() {
    heartbeat.shutdownNow();
    try {
      JsonNode n = read(fs, file);
      if (owner.equals(n.path("owner").asText())) {
        fs.delete(file, false);
      }
      for (Path dir : new Path[] {file.getParent(), createdRoot}) {
        if (dir != null && fs.exists(dir) && fs.listStatus(dir).length == 0) {
          fs.delete(dir, false);
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot release the lock {}: {}", file, e.getMessage());
    }
  }
}
