package io.batchscore.core.column;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EncodedStringsTest {
  @Test
  void eachLabelIsEncodedOnceWhetherTheSameInstanceOrAnEqualString() {
    AtomicInteger calls = new AtomicInteger();
    EncodedStrings<byte[]> e =
        new EncodedStrings<>(
            s -> {
              calls.incrementAndGet();
              return s.getBytes(StandardCharsets.UTF_8);
            });
    String benign = "benign";
    byte[] first = e.get(benign);
    for (int i = 0; i < 100; i++) {
      assertSame(first, e.get(benign));
      assertEquals("malignant", new String(e.get("malignant"), StandardCharsets.UTF_8));
      assertSame(
          first, e.get(new String("benign".toCharArray())), "an equal string from elsewhere");
    }
    assertEquals(2, calls.get());
  }

  @Test
  void freeTextBeyondTheMemoryLimitIsStillEncodedCorrectly() {
    EncodedStrings<String> e = new EncodedStrings<>(s -> "<" + s + ">");
    for (int i = 0; i < EncodedStrings.MAX_REMEMBERED * 2; i++) {
      assertEquals("<t" + i + ">", e.get("t" + i));
    }
    assertEquals("<t5>", e.get("t5"));
    int late = EncodedStrings.MAX_REMEMBERED + 7;
    assertEquals("<t" + late + ">", e.get("t" + late));
  }
}
