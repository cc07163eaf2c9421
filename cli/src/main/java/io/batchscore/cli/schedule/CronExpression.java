package io.batchscore.cli.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.ZonedDateTime;

/**
 * A cron expression, parsed and evaluated by cron-utils: five fields ({@code minute hour
 * day-of-month month day-of-week}) as in crontab (cron-utils' UNIX definition), or six with seconds
 * first (its Spring definition). Each field takes {@code *}, numbers, ranges {@code a-b}, steps
 * {@code * /n} and {@code a-b/n}, lists {@code a,b}, and month and weekday names ({@code JAN},
 * {@code MON}); day-of-week 0 and 7 are Sunday. When both day fields are restricted, a day matches
 * either (as in crontab).
 */
public final class CronExpression {
  private static final CronParser FIVE =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser SIX = new CronParser(sixFields());

  private final String text;
  private final ExecutionTime execution;

  public CronExpression(String text) {
    this.text = text.trim();
    String[] f = this.text.split("\\s+");
    if (f.length != 5 && f.length != 6) {
      throw new IllegalArgumentException(
          "cron '"
              + text
              + "' has "
              + f.length
              + " fields; expected 5 (min hour dom month dow) or 6 (sec first)");
    }
    Cron cron;
    try {
      cron = (f.length == 5 ? FIVE : SIX).parse(this.text).validate();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cron '" + this.text + "': " + e.getMessage(), e);
    }
    this.execution = ExecutionTime.forCron(cron);
  }

  /**
   * Seconds, then crontab's five fields as the UNIX definition has them: day-of-week 0-7 with 0 and
   * 7 Sunday, either day field may be {@code ?} or restricted (a day matches either).
   */
  private static CronDefinition sixFields() {
    return CronDefinitionBuilder.defineCron()
        .withSeconds()
        .and()
        .withMinutes()
        .and()
        .withHours()
        .and()
        .withDayOfMonth()
        .supportsQuestionMark()
        .and()
        .withMonth()
        .and()
        .withDayOfWeek()
        .withValidRange(0, 7)
        .withMondayDoWValue(1)
        .withIntMapping(7, 0)
        .supportsQuestionMark()
        .and()
        .instance();
  }

  /** The first time strictly after {@code after} that matches, or null if there is none. */
  public ZonedDateTime next(ZonedDateTime after) {
    return execution.nextExecution(after).orElse(null);
  }

  @Override
  public String toString() {
    return text;
  }
}
