package io.batchscore.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.apache.parquet.io.SeekableInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Positional reads give back the file's bytes at every offset, across slices, and name the file at
 * its end.
 */
class ChannelInputFileTest {
  @TempDir Path tmp;

  @Test
  void readsEveryByteAtItsOffsetAcrossSlicesAndSeeks() throws Exception {
    byte[] data = new byte[3 * ChannelInputFile.SLICE + 12_345];
    new Random(3).nextBytes(data);
    Path f = tmp.resolve("data.bin");
    Files.write(f, data);
    ChannelInputFile in = new ChannelInputFile(f);
    assertEquals(data.length, in.getLength());
    try (SeekableInputStream s = in.newStream()) {
      ByteBuffer all = ByteBuffer.allocate(data.length);
      s.readFully(all); // more than one slice: several reads
      assertArrayEquals(data, all.array());
      assertEquals(data.length, s.getPos());
      assertEquals(-1, s.read(), "the end");

      s.seek(ChannelInputFile.SLICE - 3);
      assertEquals(data[ChannelInputFile.SLICE - 3] & 0xff, s.read());
      byte[] part = new byte[10];
      s.readFully(part, 2, 8);
      assertArrayEquals(
          Arrays.copyOfRange(data, ChannelInputFile.SLICE - 2, ChannelInputFile.SLICE + 6),
          Arrays.copyOfRange(part, 2, 10));
      assertEquals(ChannelInputFile.SLICE + 6, s.getPos());

      ByteBuffer direct = ByteBuffer.allocateDirect(100);
      s.seek(7);
      s.readFully(direct);
      direct.flip();
      byte[] got = new byte[100];
      direct.get(got);
      assertArrayEquals(Arrays.copyOfRange(data, 7, 107), got);

      s.seek(data.length - 5);
      EOFException e = assertThrows(EOFException.class, () -> s.readFully(new byte[6]));
      assertTrue(e.getMessage().contains("data.bin: ended 1 bytes early"), e.getMessage());
    }
  }
}
