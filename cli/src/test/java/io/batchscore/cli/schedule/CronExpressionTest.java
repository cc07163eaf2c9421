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
    assertTrue(e.getMessage().contains("cron '0 25 * * *'"), e.getMessage());
    assertTrue(e.getMessage().contains("25") && e.getMessage().contains("23"), e.getMessage());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new CronExpression("* * *"))
            .getMessage()
            .contains("expected 5"));
  }

  @Test
  void theAutumnChangeRunsTheNightOnceAndTheSpringChangeSkipsTheTimeItRemoves() {
    java.time.ZoneId berlin = java.time.ZoneId.of("Europe/Berlin");
    CronExpression c = new CronExpression("30 2 * * *");
    // autumn: 02:30 happens twice on 2026-10-25; the night runs once
    ZonedDateTime first = c.next(ZonedDateTime.of(2026, 10, 25, 0, 0, 0, 0, berlin));
    assertEquals(java.time.LocalDateTime.of(2026, 10, 25, 2, 30), first.toLocalDateTime());
    assertEquals(java.time.LocalDate.of(2026, 10, 26), c.next(first).toLocalDate());
    // spring: 02:30 does not exist on 2026-03-29
    ZonedDateTime spring = c.next(ZonedDateTime.of(2026, 3, 28, 3, 0, 0, 0, berlin));
    // as crontab's own parsers do: a time that does not exist that day does not fire that day
    assertEquals(java.time.LocalDateTime.of(2026, 3, 30, 2, 30), spring.toLocalDateTime());
  }
}
