package io.batchscore.cli.io;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.bytes.ByteBufferAllocator;

/**
 * Direct buffers for parquet-java's row-group reads and decompressed pages, reused: column chunks
 * once their row group is closed, a column's decompressed page as soon as the column asks for its
 * next page.
 *
 * <p>Why direct, and why reused: the process touches every new page of memory once, and on these
 * machines a first touch costs about as much as copying the page several times over (measured:
 * 280k page faults and 3 s of system time in a 4M-row {@code score}, more than the reading
 * itself). Heap buffers that live as long as a row group or a page also survive young
 * collections, so each was copied into the old generation and dropped there. parquet-java gives
 * a direct allocator's buffers to the decompressor directly ({@link PageCodecs}), so the page
 * bytes never pass through the Java heap at all, and buffers handed back here are used again.
 *
 * <p>parquet-java hands a page's buffer back only when the whole row group is closed, so by
 * itself a direct allocator would hold every decompressed page of a row group (for a 128 MB
 * row group of well-compressed data, several times that). {@link PageColumnReader} therefore
 * names itself with {@link #beginPage} around each {@code readPage()}: it reads a column's pages
 * in order and is done with one before it asks for the next, so the buffers that column's
 * previous page was given are handed out again. Page allocations without an owner (other column readers) and column
 * chunks keep parquet-java's lifetime. For one reader (one thread).
 */
final class RecyclingAllocator implements ByteBufferAllocator {
  /** Free buffers kept for reuse at most this many bytes in all (a row group or two). */
  static final long MAX_RETAINED = 64L << 20;

  private final List<ByteBuffer> free = new ArrayList<>();
  private long retained;
  /** The column reader whose next page is being read, or null. */
  private Object owner;
  /** Buffers of the owner's previous page, free to hand out again while it reads the next. */
  private List<ByteBuffer> spare;
  /** Buffers handed out while the owner reads its current page. */
  private List<ByteBuffer> handed;
  /** Each column reader's buffers of its last page in the current row group. */
  private final Map<Object, List<ByteBuffer>> pages = new IdentityHashMap<>();

  /**
   * The allocations until {@link #endPage} are for {@code reader}'s next page; the buffers of its
   * previous page (the decompressed page, and the copy of a compressed page that crossed two
   * read buffers) must no longer be in use, and are handed out again.
   */
  void beginPage(Object reader) {
    owner = reader;
    List<ByteBuffer> last = pages.remove(reader);
    spare = last == null ? new ArrayList<>() : last;
    handed = new ArrayList<>();
  }

  /** The page is read: what it was given stays its until its reader's next page. */
  void endPage() {
    if (owner != null) {
      handed.addAll(spare); // unused this time; still the row group's, kept for the next page
      pages.put(owner, handed);
    }
    owner = null;
    spare = null;
    handed = null;
  }

  /** The row group was closed and its buffers released: no page buffer is any reader's now. */
  void endRowGroup() {
    pages.clear();
    endPage();
  }

  @Override
  public ByteBuffer allocate(int size) {
    if (owner == null) {
      return take(size);
    }
    int best = -1;
    for (int i = 0; i < spare.size(); i++) {
      int cap = spare.get(i).capacity();
      if (cap >= size && (best < 0 || cap < spare.get(best).capacity())) {
        best = i;
      }
    }
    // A spare buffer is still registered with the row group's releaser from its first page.
    ByteBuffer b = best < 0 ? take(size) : spare.remove(best).clear().limit(size);
    handed.add(b);
    return b;
  }

  private ByteBuffer take(int size) {
    int best = -1;
    for (int i = 0; i < free.size(); i++) {
      int cap = free.get(i).capacity();
      if (cap >= size && (best < 0 || cap < free.get(best).capacity())) {
        best = i;
      }
    }
    if (best < 0) {
      return ByteBuffer.allocateDirect(size);
    }
    ByteBuffer b = free.remove(best);
    retained -= b.capacity();
    b.clear().limit(size);
    return b;
  }

  @Override
  public void release(ByteBuffer b) {
    if (!b.isDirect() || retained + b.capacity() > MAX_RETAINED) {
      return; // dropped: the garbage collector frees a direct buffer's memory with it
    }
    for (ByteBuffer f : free) {
      if (f == b) {
        return; // a reused page buffer is released once per page it held
      }
    }
    free.add(b);
    retained += b.capacity();
  }

  @Override
  public boolean isDirect() {
    return true;
  }

  /** Bytes held for reuse. */
  long retained() {
    return retained;
  }
}
