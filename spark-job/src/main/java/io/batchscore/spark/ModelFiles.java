package io.batchscore.spark;

import io.batchscore.core.Models;
import io.batchscore.core.model.ModelLoadException;
import io.batchscore.core.model.ModelVersions;
import io.batchscore.core.spec.ScoringSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkFiles;

/**
 * Finds a model file where the code runs (driver or executor), without sending model bytes through
 * the driver:
 *
 * <ol>
 *   <li>a file shipped with {@code --files} (or {@code SparkContext.addFile}) under the model's
 *       file name;
 *   <li>a local path ({@code /models/m.onnx}, {@code file:/...}), used where it is;
 *   <li>any other Hadoop file system URI ({@code hdfs://}, {@code s3a://}, ...), copied once per
 *       JVM into a local temporary folder (keyed by URI, length and modification time).
 * </ol>
 *
 * A model with external weight files must be on a local or shared path, or shipped with {@code
 * --files} together with its weight files: only the {@code .onnx} file is copied from remote file
 * systems.
 */
public final class ModelFiles {
  private static final Map<String, Path> COPIES = new ConcurrentHashMap<>();

  private ModelFiles() {}

  /**
   * The spec with its model resolved when it names a versioned folder ({@link ModelVersions}), on
   * the local disk or on a Hadoop file system (listed there): the model is then that version's file
   * and the version its number. Unchanged for a model file. Called once, on the driver: the plan it
   * binds carries the resolved file to the executors.
   */
  public static ScoringSpec resolveVersion(ScoringSpec spec, Configuration conf)
      throws ModelLoadException {
    String model = spec.modelPath();
    if (!isRemote(model)) {
      URI uri = toUri(model);
      if (uri != null && "file".equals(uri.getScheme()) && Files.isDirectory(Path.of(uri))) {
        ModelVersions.Resolved r = ModelVersions.resolve(Path.of(uri), spec.version());
        return Models.withVersion(spec, r.file(), r.version());
      }
      return Models.resolveVersion(spec);
    }
    try {
      org.apache.hadoop.fs.Path base = new org.apache.hadoop.fs.Path(toUri(model));
      FileSystem fs = base.getFileSystem(conf);
      FileStatus st;
      try {
        st = fs.getFileStatus(base);
      } catch (java.io.FileNotFoundException e) {
        throw new ModelLoadException(model, "model file not found");
      }
      if (!st.isDirectory()) {
        return spec;
      }
      List<String> folders = new ArrayList<>();
      for (FileStatus c : fs.listStatus(base)) {
        if (c.isDirectory()) {
          folders.add(c.getPath().getName());
        }
      }
      long v = ModelVersions.pick(model, folders, spec.version());
      org.apache.hadoop.fs.Path dir = null;
      for (String f : folders) {
        if (f.chars().allMatch(Character::isDigit) && Long.parseLong(f) == v) {
          dir = new org.apache.hadoop.fs.Path(base, f);
        }
      }
      List<String> files = new ArrayList<>();
      for (FileStatus c : fs.listStatus(dir)) {
        if (c.isFile()) {
          files.add(c.getPath().getName());
        }
      }
      String file = ModelVersions.modelFile(dir.toString(), files);
      return Models.withVersion(spec, new org.apache.hadoop.fs.Path(dir, file).toString(), v);
    } catch (IOException e) {
      throw new ModelLoadException(model, "cannot list the model folder: " + e.getMessage(), e);
    }
  }

  /** A local path for the model named by the spec. */
  public static Path localPath(String model, Path baseDir, Configuration conf)
      throws ModelLoadException {
    String fileName = fileName(model);
    Path shipped = shipped(fileName);
    if (shipped != null) {
      return shipped;
    }
    if (!isRemote(model)) {
      URI uri = toUri(model);
      Path p = uri != null && "file".equals(uri.getScheme()) ? Path.of(uri) : Path.of(model);
      return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p).normalize();
    }
    return copyToLocal(toUri(model), conf);
  }

  /**
   * Finds a spec's models as {@link #localPath} does, versions resolved as {@link #resolveVersion}
   * does: the champion's and each challenger's.
   *
   * @param conf the Hadoop configuration, for models on a Hadoop file system; may be null when none
   *     is
   */
  public static io.batchscore.core.ModelLocator locator(Configuration conf) {
    return new io.batchscore.core.ModelLocator() {
      @Override
      public io.batchscore.core.model.ModelSource locate(ScoringSpec spec)
          throws ModelLoadException {
        return io.batchscore.core.model.ModelSource.of(
            localPath(spec.modelPath(), spec.baseDir(), conf));
      }

      @Override
      public ScoringSpec resolveVersion(ScoringSpec spec) throws ModelLoadException {
        return ModelFiles.resolveVersion(spec, conf);
      }
    };
  }

  /** True when the spec's model or a challenger's is on a Hadoop file system. */
  static boolean anyRemote(ScoringSpec spec) {
    return isRemote(spec.modelPath())
        || spec.challengers().stream().anyMatch(c -> isRemote(c.spec().modelPath()));
  }

  /**
   * Whether {@link #localPath} needs a Hadoop file system (and its configuration) for this model: a
   * URI with a scheme other than {@code file} (a one-letter scheme is a Windows drive).
   */
  static boolean isRemote(String model) {
    URI uri = toUri(model);
    String scheme = uri == null ? null : uri.getScheme();
    return !(scheme == null || scheme.equals("file") || scheme.length() == 1);
  }

  private static Path shipped(String fileName) {
    try {
      String root = SparkFiles.getRootDirectory();
      if (root == null) {
        return null;
      }
      Path p = Path.of(SparkFiles.get(fileName));
      return Files.isRegularFile(p) ? p : null;
    } catch (RuntimeException e) {
      return null; // no SparkContext / SparkEnv here
    }
  }

  private static URI toUri(String model) {
    try {
      return new URI(model);
    } catch (Exception e) {
      return null;
    }
  }

  static String fileName(String model) {
    String s = model.replace('\\', '/');
    int slash = s.lastIndexOf('/');
    return slash >= 0 ? s.substring(slash + 1) : s;
  }

  private static Path copyToLocal(URI uri, Configuration conf) throws ModelLoadException {
    try {
      org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(uri);
      FileSystem fs = src.getFileSystem(conf);
      FileStatus st;
      try {
        st = fs.getFileStatus(src);
      } catch (java.io.FileNotFoundException e) {
        throw new ModelLoadException(uri.toString(), "model file not found");
      }
      String key = uri + "|" + st.getLen() + "|" + st.getModificationTime();
      Path known = COPIES.get(key);
      if (known != null && Files.isRegularFile(known)) {
        return known;
      }
      synchronized (COPIES) {
        known = COPIES.get(key);
        if (known != null && Files.isRegularFile(known)) {
          return known;
        }
        Path dir = Files.createTempDirectory("batchscore-model-");
        dir.toFile().deleteOnExit();
        Path dst = dir.resolve(fileName(uri.getPath()));
        try (InputStream in = fs.open(src)) {
          Files.copy(in, dst, StandardCopyOption.REPLACE_EXISTING);
        }
        dst.toFile().deleteOnExit();
        COPIES.put(key, dst);
        return dst;
      }
    } catch (IOException e) {
      throw new ModelLoadException(uri.toString(), "cannot copy the model: " + e.getMessage(), e);
    }
  }
}
