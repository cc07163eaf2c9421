package io.batchscore.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * all-MiniLM-L6-v2 from the langchain4j jars on the test classpath (Maven Central), copied once
 * into target/ so it can be loaded from a file like a user's model.
 */
public final class TextModels {
  private TextModels() {}

  /** The folder holding {@code name} (e.g. all-minilm-l6-v2.onnx) and its tokenizer. */
  public static Path extract(String model, String tokenizer) {
    Path dir = Path.of("target", "text-models").toAbsolutePath();
    try {
      Files.createDirectories(dir);
      for (String name : new String[] {model, tokenizer}) {
        Path dst = dir.resolve(name);
        if (Files.isRegularFile(dst)) {
          continue;
        }
        try (InputStream in = TextModels.class.getClassLoader().getResourceAsStream(name)) {
          if (in == null) {
            throw new IllegalStateException(name + " not on the test classpath (langchain4j jar)");
          }
          Path tmp = dir.resolve(name + ".tmp");
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
          Files.move(tmp, dst, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A spec for all-MiniLM-L6-v2 embeddings: mean pooling over the mask, L2-normalised. */
  public static String embeddingSpec(Path dir, String model, String tokenizer, String engine) {
    return "name: all_minilm_l6_v2\n"
        + "model: "
        + dir.resolve(model)
        + "\n"
        + "engine: "
        + engine
        + "\n"
        + "batchSize: 16\n"
        + "text: {column: text, tokenizer: "
        + dir.resolve(tokenizer)
        + "}\n"
        + "outputs:\n"
        + "  - {output: last_hidden_state, column: embedding, transform: mean_pooling, normalize: true}\n"
        + "passthrough: [id]\n"
        + "nulls: fill\n";
  }
}
