package io.batchscore.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The reader's buffers: reused only once nothing can still be reading them. */
class RecyclingAllocatorTest {
  @Test
  void releasedBuffersAreReusedAndNeverHandedOutTwice() {
    RecyclingAllocator a = new RecyclingAllocator();
    ByteBuffer big = a.allocate(1000);
    ByteBuffer small = a.allocate(100);
    assertTrue(big.isDirect(), "direct, so parquet-java decompresses into it without a heap copy");
    a.release(big);
    a.release(big); // released twice: still one free buffer
    assertEquals(1000, a.retained());
    ByteBuffer again = a.allocate(600);
    assertSame(big, again, "a free buffer large enough is reused");
    assertEquals(600, again.remaining());
    assertEquals(0, a.retained());
    assertNotSame(again, a.allocate(600), "a buffer in use is not handed out again");
    a.release(small);
    assertNotSame(small, a.allocate(200), "a free buffer too small is not used");
    assertEquals(100, a.retained());
  }

  @Test
  void aColumnsNextPageReusesItsLastPagesBuffersButNeverTwiceInOnePage() {
    RecyclingAllocator a = new RecyclingAllocator();
    Object col1 = new Object();
    Object col2 = new Object();
    a.beginPage(col1);
    ByteBuffer copy = a.allocate(1012); // a compressed page spanning two read buffers, copied
    ByteBuffer page = a.allocate(1000); // the decompressed page
    a.endPage();
    assertNotSame(copy, page, "the copy is still being read while the page is written");
    a.beginPage(col2);
    ByteBuffer other = a.allocate(1000);
    a.endPage();
    assertNotSame(page, other, "another column's page is still in use");
    a.beginPage(col1);
    ByteBuffer next = a.allocate(1000);
    a.endPage();
    assertTrue(
        sameMemory(page, next),
        "the column is done with its last page: its buffer takes the next one");
    a.beginPage(col1);
    ByteBuffer copy2 = a.allocate(1012);
    ByteBuffer page2 = a.allocate(1000);
    a.endPage();
    assertTrue(!sameMemory(copy2, page2));
    assertTrue(
        sameMemory(copy2, copy) || sameMemory(copy2, page),
        "both of the column's earlier buffers are reused");
    assertTrue(sameMemory(page2, copy) || sameMemory(page2, page));
    ByteBuffer unowned = a.allocate(1000);
    assertTrue(
        !sameMemory(unowned, copy) && !sameMemory(unowned, page) && !sameMemory(unowned, other),
        "an allocation for no column's page never takes a page buffer");
  }

  /** Whether two buffers share memory (a reused page buffer comes back as a view of itself). */
  private static boolean sameMemory(ByteBuffer x, ByteBuffer y) {
    x.put(0, (byte) 1);
    y.put(0, (byte) 2);
    return x.get(0) == 2;
  }

  @Test
  void aReusedPageBufferIsReleasedOnceAndFreedWhenTooManyAreFree() {
    RecyclingAllocator a = new RecyclingAllocator(4096);
    Object col = new Object();
    a.beginPage(col);
    ByteBuffer first = a.allocate(1000);
    a.endPage();
    a.beginPage(col);
    ByteBuffer view = a.allocate(1000);
    a.endPage();
    // The row group closes: parquet-java releases everything it was handed, views included.
    a.release(view);
    a.release(first);
    a.release(first); // twice: still one free buffer
    a.endRowGroup();
    assertEquals(1000, a.retained(), "the buffer is free once, the view is not a second buffer");
    ByteBuffer again = a.allocate(1000);
    assertSame(first, again);
    ByteBuffer other = a.allocate(1000);
    assertNotSame(first, other, "a buffer in use is not handed out again");

    ByteBuffer huge = a.allocate(4000);
    a.release(again);
    a.release(huge); // more than may be kept free: freed now, not left to a full collection
    a.endRowGroup();
    assertEquals(1000, a.retained());
    assertEquals(4000, a.freed());
    a.close();
    assertEquals(0, a.retained(), "closing the reader frees what it kept");
    assertEquals(5000, a.freed());
  }

  @Test
  void afterTheRowGroupClosesNoColumnOwnsAPageBuffer() {
    RecyclingAllocator a = new RecyclingAllocator();
    Object col = new Object();
    a.beginPage(col);
    ByteBuffer page = a.allocate(1000);
    a.endPage();
    a.release(page); // the row group's releaser hands every buffer back on close
    a.endRowGroup();
    ByteBuffer chunk =
        a.allocate(800); // the next row group's chunk read takes it from the free list
    assertSame(page, chunk);
    a.beginPage(col);
    assertNotSame(chunk, a.allocate(800), "the old page buffer now holds the chunk");
    a.endPage();
  }
}
