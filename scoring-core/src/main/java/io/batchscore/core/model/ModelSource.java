package io.batchscore.core.model;

import io.batchscore.core.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a model comes from: a local file (external weight files beside it are found by ONNX
 * Runtime relative to the model's folder) or bytes in memory. A source knows its SHA-256, which
 * keys the model cache.
 *
 * <p>The digest of a file is computed once per (path, size, modification time) and remembered,
 * so acquiring a cached 90 MB model does not hash it again. The digest covers the {@code .onnx}
 * file only, not external weight files.
 */
public final class ModelSource {
  private static final Map<String, String> FILE_DIGESTS = new ConcurrentHashMap<>();

  private final Path path;
  private final byte[] bytes;
  private final String name;
  private volatile String sha256;

  private ModelSource(Path path, byte[] bytes, String name) {
    this.path = path;
    this.bytes = bytes;
    this.name = name;
  }

  /** A model file on the local file system. */
  public static ModelSource of(Path path) {
    Path p = path.toAbsolutePath().normalize();
    return new ModelSource(p, null, p.toString());
  }

  /** A model held in memory; {@code name} is used in messages. External weights are not found. */
  public static ModelSource of(byte[] bytes, String name) {
    return new ModelSource(null, Objects.requireNonNull(bytes).clone(), name);
  }

  /** The file, or null for an in-memory model. */
  public Path path() {
    return path;
  }

  /** The bytes of an in-memory model (not copied), or null for a file. */
  public byte[] bytes() {
    return bytes;
  }

  /** The path or name, for messages. */
  public String name() {
    return name;
  }

  /** Checks that a file source exists and is a readable regular file. */
  public void checkReadable() throws ModelLoadException {
    if (path == null) {
      return;
    }
    if (!Files.exists(path)) {
      throw new ModelLoadException(name, "model file not found");
    }
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new ModelLoadException(name, "model path is not a readable file");
    }
  }

  /** Lower-case hex SHA-256 of the model file or bytes. */
  public String sha256() throws ModelLoadException {
    String s = sha256;
    if (s == null) {
      s = path == null ? hex(digest().digest(bytes)) : fileDigest();
      sha256 = s;
    }
    return s;
  }

  private String fileDigest() throws ModelLoadException {
    checkReadable();
    try {
      long size = Files.size(path);
      FileTime mtime = Files.getLastModifiedTime(path);
      String key = path + "|" + size + "|" + mtime.toMillis();
      String known = FILE_DIGESTS.get(key);
      if (known != null) {
        return known;
      }
      MessageDigest md = digest();
      byte[] buf = new byte[1 << 16];
      try (InputStream in = Files.newInputStream(path)) {
        int n;
        while ((n = in.read(buf)) > 0) {
          md.update(buf, 0, n);
        }
      }
      String hex = hex(md.digest());
      FILE_DIGESTS.put(key, hex);
      return hex;
    } catch (NoSuchFileException e) {
      throw new ModelLoadException(name, "model file not found");
    } catch (IOException e) {
      throw new ModelLoadException(name, "cannot read model file: " + e.getMessage(), e);
    }
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] d) {
    return HexFormat.of().formatHex(d);
  }

  @Override
  public String toString() {
    return name;
  }
}
