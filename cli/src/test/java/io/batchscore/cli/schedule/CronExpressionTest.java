package io.batchscore.cli.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronExpressionTest {
  private static ZonedDateTime at(String iso) {
    return ZonedDateTime.parse(iso + "Z").withZoneSameInstant(ZoneOffset.UTC);
  }

  @Test
  void nightlyAtThreeIsTheNextThreeOClock() {
    CronExpression c = new CronExpression("0 3 * * *");
    assertEquals(at("2026-11-25T03:00:00"), c.next(at("2026-11-24T03:00:00")));
    assertEquals(at("2026-11-24T03:00:00"), c.next(at("2026-11-24T02:59:59")));
  }

  @Test
  void stepsRangesListsAndNames() {
    assertEquals(
        at("2026-11-24T10:15:00"),
        new CronExpression("*/15 * * * *").next(at("2026-11-24T10:01:00")));
    assertEquals(
        at("2026-11-30T09:00:00"),
        new CronExpression("0 9 * * MON-FRI").next(at("2026-11-27T10:00:00")));
    assertEquals(
        at("2027-01-01T00:00:00"),
        new CronExpression("0 0 1 JAN *").next(at("2026-11-24T00:00:00")));
    assertEquals(
        at("2026-11-24T10:00:07"),
        new CronExpression("*/7 * * * * *").next(at("2026-11-24T10:00:00")));
    assertEquals(
        at("2026-12-06T00:00:00"),
        new CronExpression("0 0 * * 0").next(at("2026-12-01T00:00:00")),
        "0 is Sunday");
    assertEquals(
        at("2026-12-06T00:00:00"),
        new CronExpression("0 0 * * 7").next(at("2026-12-01T00:00:00")),
        "7 is Sunday");
  }

  @Test
  void restrictedDayOfMonthAndWeekMatchEither() {
    // the 13th, or any Friday: after Tue 2026-11-24 comes Fri 2026-11-27
    assertEquals(
        at("2026-11-27T00:00:00"),
        new CronExpression("0 0 13 * FRI").next(at("2026-11-24T00:00:00")));
  }

  @Test
  void badExpressionsAreNamed() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new CronExpression("0 25 * * *"));
    assertTrue(e.getMessage().contains("hour 25 is outside 0-23"), e.getMessage());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new CronExpression("* * *"))
            .getMessage()
            .contains("expected 5"));
  }
}
