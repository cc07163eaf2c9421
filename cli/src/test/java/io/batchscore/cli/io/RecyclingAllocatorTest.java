package io.batchscore.cli.io;

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
    assertSame(page, next, "the column is done with its last page: its buffer takes the next one");
    a.beginPage(col1);
    ByteBuffer copy2 = a.allocate(1012);
    ByteBuffer page2 = a.allocate(1000);
    a.endPage();
    assertNotSame(copy2, page2);
    assertTrue(copy2 == copy || copy2 == page, "both of the column's earlier buffers are reused");
    assertTrue(page2 == copy || page2 == page);
    ByteBuffer unowned = a.allocate(1000);
    assertTrue(unowned != copy && unowned != page && unowned != other,
        "an allocation for no column's page never takes a page buffer");
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
    ByteBuffer chunk = a.allocate(800); // the next row group's chunk read takes it from the free list
    assertSame(page, chunk);
    a.beginPage(col);
    assertNotSame(chunk, a.allocate(800), "the old page buffer now holds the chunk");
    a.endPage();
  }
}
