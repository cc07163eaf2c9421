package io.batchscore.cli.io;

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
    return codec == CompressionCodecName.SNAPPY ? new SnappyPages(own) : own;
  }

  @Override
  public void release() {
    codecs.release();
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
