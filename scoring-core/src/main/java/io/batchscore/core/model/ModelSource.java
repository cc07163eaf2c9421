package io.batchscore.core.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a model comes from: a local file or bytes in memory. A source knows its SHA-256, which keys
 * the model cache and is what a spec's {@code sha256} pins.
 *
 * <p><b>External weights.</b> A model may keep tensors in files beside it (ONNX external data).
 * Those files must lie inside the model's folder: a location that is absolute, climbs out with
 * {@code ..}, or is a link leading outside is refused (a model is data that users download, and
 * ONNX Runtime would otherwise read any file it names), as is a missing one. An in-memory model
 * with external data is refused: there is no folder to find it in.
 *
 * <p><b>The SHA-256</b> of a model without external data is that of its file. With external data it
 * covers every file: it is the SHA-256 of the manifest that {@code sha256sum} prints for the model
 * file followed by its external files in sorted order, run in the model's folder ({@code (cd models
 * && sha256sum m.onnx m.bin) | sha256sum}), so replacing a weight file changes it. Each file's
 * digest is computed once per (path, size, modification time) and remembered, so acquiring a cached
 * 90 MB model does not hash it again.
 */
public final class ModelSource {
  private static final Map<String, String> FILE_DIGESTS = new ConcurrentHashMap<>();
  private static final Map<String, List<String>> LOCATIONS = new ConcurrentHashMap<>();

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

  /**
   * Lower-case hex SHA-256 of the model: of its file or bytes, or, with external data, of the
   * manifest of all its files (see the class comment). Checks the external data first.
   */
  public String sha256() throws ModelLoadException {
    String s = sha256;
    if (s == null) {
      if (path == null) {
        files();
        s = hex(digest().digest(bytes));
      } else {
        List<Path> files = files();
        s = fileDigest(path);
        if (files.size() > 1) {
          StringBuilder manifest = new StringBuilder();
          for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            String rel = path.getParent().relativize(f).toString().replace('\\', '/');
            manifest.append(i == 0 ? s : fileDigest(f)).append("  ").append(rel).append('\n');
          }
          s = hex(digest().digest(manifest.toString().getBytes(StandardCharsets.UTF_8)));
        }
      }
      sha256 = s;
    }
    return s;
  }

  /** Checks that {@code sha256()} is {@code expected} (ignoring case), when a pin is given. */
  public void checkPin(String expected) throws ModelLoadException {
    if (expected != null && !expected.equalsIgnoreCase(sha256())) {
      throw new ModelLoadException(
          name,
          "SHA-256 is "
              + sha256()
              + " but the spec expects "
              + expected
              + (files().size() > 1
                  ? " (the digest covers the model file and its external weight files)"
                  : ""));
    }
  }

  /**
   * The model file followed by the external-data files it names, each checked to lie inside the
   * model's folder; empty for an in-memory model (which may not have external data).
   *
   * @throws ModelLoadException the model is missing, or names external data that is absolute,
   *     outside its folder, or missing
   */
  public List<Path> files() throws ModelLoadException {
    if (path == null) {
      List<String> locs;
      try {
        locs = ExternalData.locations(bytes);
      } catch (IOException e) {
        throw notOnnx(e);
      }
      if (!locs.isEmpty()) {
        throw new ModelLoadException(
            name,
            "the model keeps weights in external files "
                + locs
                + ", which a model held in memory cannot reach; load it from its file");
      }
      return List.of();
    }
    checkReadable();
    List<String> locs = locations();
    if (locs.isEmpty()) {
      return List.of(path);
    }
    List<Path> out = new ArrayList<>(locs.size() + 1);
    out.add(path);
    Path dir = path.getParent();
    for (String loc : locs) {
      out.add(inside(dir, loc));
    }
    return out;
  }

  private Path inside(Path dir, String loc) throws ModelLoadException {
    String where = "external data location '" + loc + "'";
    Path rel;
    try {
      rel = Path.of(loc);
    } catch (java.nio.file.InvalidPathException e) {
      throw new ModelLoadException(name, where + " is not a file name");
    }
    if (rel.isAbsolute() || loc.startsWith("/") || loc.startsWith("\\") || rel.getRoot() != null) {
      throw new ModelLoadException(
          name,
          where
              + " is an absolute path; a model may only read"
              + " weight files inside its own folder ("
              + dir
              + ")");
    }
    Path f = dir.resolve(rel).normalize();
    if (!f.startsWith(dir) || f.equals(dir)) {
      throw new ModelLoadException(
          name,
          where
              + " reaches outside the model's folder ("
              + dir
              + "); a model may only read weight files inside its own folder");
    }
    if (!Files.exists(f)) {
      throw new ModelLoadException(
          name,
          where
              + ": no file "
              + f
              + " (external weight files"
              + " travel with the model: copy them into its folder)");
    }
    try {
      Path real = f.toRealPath();
      if (!real.startsWith(dir.toRealPath())) {
        throw new ModelLoadException(
            name,
            where
                + " is a link to "
                + real
                + ", outside the"
                + " model's folder; a model may only read weight files inside its own folder");
      }
      if (!Files.isRegularFile(real) || !Files.isReadable(real)) {
        throw new ModelLoadException(name, where + " is not a readable file");
      }
    } catch (IOException e) {
      throw new ModelLoadException(name, where + ": " + e.getMessage(), e);
    }
    return f;
  }

  /** The external-data locations of the model file, remembered per (path, size, mtime). */
  private List<String> locations() throws ModelLoadException {
    try {
      String key = key(path);
      List<String> known = LOCATIONS.get(key);
      if (known == null) {
        known = List.copyOf(ExternalData.locations(path));
        if (settled(path) && key.equals(key(path))) {
          LOCATIONS.put(key, known);
        }
      }
      return known;
    } catch (NoSuchFileException e) {
      throw new ModelLoadException(name, "model file not found");
    } catch (IOException e) {
      throw notOnnx(e);
    }
  }

  private ModelLoadException notOnnx(IOException e) {
    return new ModelLoadException(
        name, "not a valid ONNX model: truncated or corrupt (" + e.getMessage() + ")", e);
  }

  private static String key(Path p) throws IOException {
    java.nio.file.attribute.BasicFileAttributes a =
        Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class);
    return p
        + "|"
        + a.size()
        + "|"
        + a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS)
        + "|"
        + a.fileKey();
  }

  /**
   * Whether what was read from a file may be remembered under its {@link #key}: only once the file
   * has not changed for {@value #SETTLED_MILLIS} ms. A file's time stamp moves in coarse steps (a
   * few ms on Linux), so a file rewritten with the same size right after it was read can keep its
   * key; remembering it then would let a changed weights file pass the pin (git's "racily clean"
   * entries, handled the same way). A settled file that changes gets a new time stamp.
   */
  private static boolean settled(Path p) throws IOException {
    return System.currentTimeMillis() - Files.getLastModifiedTime(p).toMillis() > SETTLED_MILLIS;
  }

  /** How long a file must have been left alone for its digest to be remembered. */
  static final long SETTLED_MILLIS = 2_000;

  private String fileDigest(Path file) throws ModelLoadException {
    try {
      String key = key(file);
      String known = FILE_DIGESTS.get(key);
      if (known != null) {
        return known;
      }
      MessageDigest md = digest();
      byte[] buf = new byte[1 << 16];
      try (InputStream in = Files.newInputStream(file)) {
        int n;
        while ((n = in.read(buf)) > 0) {
          md.update(buf, 0, n);
        }
      }
      String hex = hex(md.digest());
      if (settled(file) && key.equals(key(file))) {
        FILE_DIGESTS.put(key, hex);
      }
      return hex;
    } catch (NoSuchFileException e) {
      throw new ModelLoadException(
          name, file.equals(path) ? "model file not found" : "no file " + file);
    } catch (IOException e) {
      throw new ModelLoadException(name, "cannot read " + file + ": " + e.getMessage(), e);
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
