package io.batchscore.io;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PrimitiveIterator;
import java.util.Set;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;

/**
 * Direct buffers for parquet-java's row-group reads and decompressed pages, reused: column chunks
 * once their row group is closed, a column's decompressed page as soon as the column asks for its
 * next page; freed at once, not left to the garbage collector, when there are more than {@link
 * #MAX_RETAINED} bytes of them free, and when the reader closes.
 *
 * <p>Why direct, and why reused: the process touches every new page of memory once, and on these
 * machines a first touch costs about as much as copying the page several times over (measured: 280k
 * page faults and 3 s of system time in a 4M-row {@code score}, more than the reading itself). Heap
 * buffers that live as long as a row group or a page also survive young collections, so each was
 * copied into the old generation and dropped there. parquet-java gives a direct allocator's buffers
 * to the decompressor directly ({@link PageCodecs}), so the page bytes never pass through the Java
 * heap at all. Why freed explicitly: a dropped direct buffer's memory goes back only when a
 * collection finds the buffer unreachable, which for one promoted to the old generation means a
 * full collection: native memory would grow with the row count.
 *
 * <p>parquet-java hands a page's buffer back only when the whole row group is closed, so by itself
 * a direct allocator would hold every decompressed page of a row group (for a 128 MB row group of
 * well-compressed data, several times that). The reader therefore reads a row group through {@link
 * #owning}, whose page readers bracket each {@code readPage()} with {@link #beginPage} and {@link
 * #endPage}: a column's pages are read in order and a column reader is done with one before it asks
 * for the next, so the buffers that column's previous page was given are handed out again, as views
 * whose release is ignored (each buffer is released once, by the row group that took it first).
 * Column chunks keep parquet-java's lifetime. For one reader (one thread).
 */
final class RecyclingAllocator implements ByteBufferAllocator, AutoCloseable {
  /** Free buffers kept for reuse at most this many bytes in all (a large row group's chunks). */
  static final long MAX_RETAINED = 256L << 20;

  private final long maxRetained;

  /** Views of reused page buffers handed out in the current row group; their release is ignored. */
  private final Set<ByteBuffer> views = Collections.newSetFromMap(new IdentityHashMap<>());

  /** Buffers released since they were last handed out: a second release must not free one twice. */
  private final Set<ByteBuffer> released = Collections.newSetFromMap(new IdentityHashMap<>());

  private final List<ByteBuffer> free = new ArrayList<>();
  private long retained;
  private long freed;

  /** The column reader whose next page is being read, or null. */
  private Object owner;

  /** Buffers of the owner's previous page, free to hand out again while it reads the next. */
  private List<ByteBuffer> spare;

  /** Buffers handed out while the owner reads its current page. */
  private List<ByteBuffer> handed;

  /** Each column reader's buffers of its last page in the current row group. */
  private final Map<Object, List<ByteBuffer>> pages = new IdentityHashMap<>();

  RecyclingAllocator() {
    this(MAX_RETAINED);
  }

  /** Keeps at most {@code maxRetained} bytes of free buffers. */
  RecyclingAllocator(long maxRetained) {
    this.maxRetained = maxRetained;
  }

  /**
   * {@code pages} with each column's pages read as that column's: the buffers a column's page was
   * given are handed out again for its next page. For readers that are done with a page before they
   * ask for the next, as parquet-java's column readers and {@link PageColumnReader} are (a value is
   * copied out of its page when it is read).
   */
  PageReadStore owning(PageReadStore pages) {
    return new PageReadStore() {
      @Override
      public PageReader getPageReader(ColumnDescriptor column) {
        return new OwnedPages(pages.getPageReader(column));
      }

      @Override
      public long getRowCount() {
        return pages.getRowCount();
      }

      @Override
      public Optional<Long> getRowIndexOffset() {
        return pages.getRowIndexOffset();
      }

      @Override
      public Optional<PrimitiveIterator.OfLong> getRowIndexes() {
        return pages.getRowIndexes();
      }

      @Override
      public void close() {
        pages.close();
      }
    };
  }

  /** One column's pages, each read as the column's next: its last page's buffers are reused. */
  private final class OwnedPages implements PageReader {
    private final PageReader pages;

    OwnedPages(PageReader pages) {
      this.pages = pages;
    }

    @Override
    public DictionaryPage readDictionaryPage() {
      return pages.readDictionaryPage(); // decompressed into a heap array of its own
    }

    @Override
    public long getTotalValueCount() {
      return pages.getTotalValueCount();
    }

    @Override
    public DataPage readPage() {
      beginPage(this);
      try {
        return pages.readPage();
      } finally {
        endPage();
      }
    }
  }

  /**
   * The allocations until {@link #endPage} are for {@code reader}'s next page; the buffers of its
   * previous page (the decompressed page, and the copy of a compressed page that crossed two read
   * buffers) must no longer be in use, and are handed out again.
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
    views.clear();
    released.clear(); // forget the buffers freed at the close; the free ones stay marked
    released.addAll(free);
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
    if (best < 0) {
      ByteBuffer b = take(size);
      handed.add(b);
      return b;
    }
    ByteBuffer b = spare.remove(best);
    handed.add(b);
    // A view: the buffer itself is already registered with the row group's releaser.
    ByteBuffer view = b.duplicate().clear().limit(size);
    views.add(view);
    return view;
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
    released.remove(b);
    retained -= b.capacity();
    b.clear().limit(size);
    return b;
  }

  @Override
  public void release(ByteBuffer b) {
    if (!b.isDirect() || views.contains(b) || !released.add(b)) {
      return; // a view of a reused page buffer (the buffer itself is released once), or released
      // twice
    }
    if (retained + b.capacity() > maxRetained) {
      freeNow(b);
      return;
    }
    free.add(b);
    retained += b.capacity();
  }

  @Override
  public boolean isDirect() {
    return true;
  }

  /** Frees the free buffers; buffers still in use are left to the garbage collector. */
  @Override
  public void close() {
    for (ByteBuffer b : free) {
      freeNow(b);
    }
    free.clear();
    released.clear();
    retained = 0;
  }

  /** Bytes held for reuse. */
  long retained() {
    return retained;
  }

  /** Bytes freed explicitly so far. */
  long freed() {
    return freed;
  }

  private void freeNow(ByteBuffer b) {
    freed += b.capacity();
    if (UNSAFE != null) {
      try {
        INVOKE_CLEANER.invoke(UNSAFE, b);
      } catch (ReflectiveOperationException | RuntimeException e) {
        // left to the garbage collector, as without the unsupported API
      }
    }
  }

  /**
   * {@code sun.misc.Unsafe.invokeCleaner}, the supported-in-practice way to free a direct buffer
   * now.
   */
  private static final Object UNSAFE;

  private static final java.lang.reflect.Method INVOKE_CLEANER;

  static {
    Object unsafe = null;
    java.lang.reflect.Method clean = null;
    try {
      Class<?> c = Class.forName("sun.misc.Unsafe");
      Field f = c.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      unsafe = f.get(null);
      clean = c.getMethod("invokeCleaner", ByteBuffer.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      unsafe = null;
      clean = null;
    }
    UNSAFE = unsafe;
    INVOKE_CLEANER = clean;
  }
}
