package io.batchscore.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * parquet-java's codecs for the local reader, with Snappy pages decompressed from one direct buffer
 * into another by snappy-java, without the Hadoop stream in between.
 *
 * <p>With a direct allocator ({@link RecyclingAllocator}) parquet-java reads column chunks into
 * direct buffers and asks the decompressor to fill a direct page buffer. Its default codecs answer
 * that through Hadoop's decompressor stream: the compressed page copied into the codec's own direct
 * buffer, decompressed into another, copied out into a new heap array and copied again into the
 * page buffer. Here Snappy (Spark's default) decompresses in one step. Every other codec, and the
 * heap path parquet-java uses for dictionary pages, is parquet-java's own.
 *
 * <p>parquet-java's {@code DirectCodecFactory} is not used: its decompressors are shared per codec
 * and, on the heap path, decompress into one buffer they reuse, which would overwrite a dictionary
 * page still in use by another column.
 */
final class PageCodecs implements CompressionCodecFactory {
  private final CodecFactory codecs = new CodecFactory(ParquetConf.SHARED, 0);

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    return codecs.getCompressor(codec);
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    BytesInputDecompressor own = codecs.getDecompressor(codec);
    if (codec == CompressionCodecName.SNAPPY) {
      own = new SnappyPages(own);
    } else if (codec == CompressionCodecName.LZ4) {
      own = new Lz4Pages(own, codecs.getDecompressor(CompressionCodecName.LZ4_RAW));
    }
    return new EmptyPages(own);
  }

  @Override
  public void release() {
    codecs.release();
  }

  /**
   * A page with no bytes, compressed or not (a v2 page of nulls only: its values section is empty,
   * and some writers store it without compressing it), decompresses to nothing whatever the codec;
   * a codec asked to decompress zero bytes may fail (Snappy does).
   */
  private static final class EmptyPages implements BytesInputDecompressor {
    private final BytesInputDecompressor own;

    EmptyPages(BytesInputDecompressor own) {
      this.own = own;
    }

    @Override
    public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
      if (bytes.size() == 0 && uncompressedSize == 0) {
        return BytesInput.empty();
      }
      return own.decompress(bytes, uncompressedSize);
    }

    @Override
    public void decompress(
        ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
        throws IOException {
      if (compressedSize == 0 && uncompressedSize == 0) {
        return;
      }
      own.decompress(input, compressedSize, output, uncompressedSize);
    }

    @Override
    public void release() {
      own.release();
    }
  }

  /**
   * LZ4 pages: Hadoop's framing (what parquet-java writes for LZ4), else a bare LZ4 block, which
   * other writers store under the same codec (Arrow's readers try both the same way). A page that
   * is neither fails with the first error.
   */
  private static final class Lz4Pages implements BytesInputDecompressor {
    private final BytesInputDecompressor hadoop;
    private final BytesInputDecompressor raw;

    Lz4Pages(BytesInputDecompressor hadoop, BytesInputDecompressor raw) {
      this.hadoop = hadoop;
      this.raw = raw;
    }

    @Override
    public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
      byte[] in = bytes.toByteArray();
      try {
        // Hadoop's stream decompresses lazily: read it here, where a failure can be caught
        return BytesInput.from(
            hadoop.decompress(BytesInput.from(in), uncompressedSize).toByteArray());
      } catch (RuntimeException | IOException hadoopFraming) {
        try {
          return BytesInput.from(
              raw.decompress(BytesInput.from(in), uncompressedSize).toByteArray());
        } catch (RuntimeException | IOException notRaw) {
          throw failed(hadoopFraming);
        }
      }
    }

    @Override
    public void decompress(
        ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
        throws IOException {
      int in = input.position();
      int out = output.position();
      try {
        hadoop.decompress(input, compressedSize, output, uncompressedSize);
      } catch (RuntimeException | IOException hadoopFraming) {
        input.position(in);
        output.position(out);
        try {
          raw.decompress(input, compressedSize, output, uncompressedSize);
        } catch (RuntimeException | IOException notRaw) {
          throw failed(hadoopFraming);
        }
      }
    }

    private static IOException failed(Exception e) {
      return new IOException(
          "an LZ4 page is neither in Hadoop's framing nor a raw LZ4 block ("
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
              + ")",
          e);
    }

    @Override
    public void release() {
      hadoop.release();
      raw.release();
    }
  }

  /** Snappy, direct buffer to direct buffer; anything else as parquet-java does it. */
  private static final class SnappyPages implements BytesInputDecompressor {
    private final BytesInputDecompressor own;

    SnappyPages(BytesInputDecompressor own) {
      this.own = own;
    }

    @Override
    public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
      return own.decompress(bytes, uncompressedSize);
    }

    @Override
    public void decompress(
        ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
        throws IOException {
      if (!input.isDirect() || !output.isDirect()) {
        own.decompress(input, compressedSize, output, uncompressedSize);
        return;
      }
      ByteBuffer in = input.slice().limit(compressedSize);
      ByteBuffer out = output.slice().limit(uncompressedSize);
      int n = Snappy.uncompress(in, out);
      if (n != uncompressedSize) {
        throw new IOException(
            "a Snappy page decompressed to " + n + " bytes; its header says " + uncompressedSize);
      }
      input.position(input.position() + compressedSize);
      output.position(output.position() + n);
    }

    @Override
    public void release() {
      own.release();
    }
  }
}
