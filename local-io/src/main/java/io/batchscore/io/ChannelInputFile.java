package io.batchscore.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A local Parquet file read with positional {@link FileChannel} reads straight into the buffers
 * Parquet hands over.
 *
 * <p>Parquet's own {@code LocalInputFile} reads a column chunk into a {@code ByteBuffer} by
 * allocating a new byte array of the chunk's size, reading it through {@code RandomAccessFile}
 * (which, for a read of more than a few KB, mallocs a native buffer of that size, reads into it and
 * frees it again) and copying the array into the buffer. For the 30 MB row groups of the benchmark
 * data that was two extra copies and a fresh native mapping, page faults included, per row group:
 * the read-ahead thread spent 1.26 s of system time on 4M rows. Here a read goes straight into the
 * buffer: the column chunks' buffers are direct ({@link RecyclingAllocator}), and a read into a
 * heap buffer (the footer) goes in slices of at most {@link #SLICE} bytes, so the JDK's cached
 * per-thread direct buffer stays small and is reused.
 */
final class ChannelInputFile implements InputFile {
  /** Bytes read per call; bounds the JDK's cached temporary direct buffer for heap buffers. */
  static final int SLICE = 1 << 20;

  private final Path path;

  ChannelInputFile(Path path) {
    this.path = path;
  }

  @Override
  public long getLength() throws IOException {
    return Files.size(path);
  }

  @Override
  public SeekableInputStream newStream() throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    return new SeekableInputStream() {
      private long pos;

      @Override
      public long getPos() {
        return pos;
      }

      @Override
      public void seek(long newPos) {
        pos = newPos;
      }

      @Override
      public int read() throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        return read(one) <= 0 ? -1 : one.get(0) & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return len == 0 ? 0 : read(ByteBuffer.wrap(b, off, len));
      }

      @Override
      public int read(ByteBuffer buf) throws IOException {
        ByteBuffer slice = buf;
        if (!buf.isDirect()) { // the JDK reads a heap buffer through a temporary direct one
          slice = buf.duplicate();
          slice.limit(slice.position() + Math.min(buf.remaining(), SLICE));
        }
        int n = channel.read(slice, pos);
        if (n > 0) {
          if (slice != buf) {
            buf.position(buf.position() + n);
          }
          pos += n;
        }
        return n;
      }

      @Override
      public void readFully(byte[] b) throws IOException {
        readFully(ByteBuffer.wrap(b));
      }

      @Override
      public void readFully(byte[] b, int off, int len) throws IOException {
        readFully(ByteBuffer.wrap(b, off, len));
      }

      @Override
      public void readFully(ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
          if (read(buf) < 0) {
            throw new EOFException(
                path + ": ended " + buf.remaining() + " bytes early at offset " + pos);
          }
        }
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
