package io.batchscore.cli.schedule;

import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;

/**
 * A cron expression: five fields ({@code minute hour day-of-month month day-of-week}) as in
 * crontab, or six with seconds first. Each field takes {@code *}, numbers, ranges {@code a-b},
 * steps {@code * /n} and {@code a-b/n}, lists {@code a,b}, and month and weekday names ({@code
 * JAN}, {@code MON}); day-of-week 0 and 7 are Sunday. When both day fields are restricted, a day
 * matches either (as in crontab).
 */
public final class CronExpression {
  private static final String[] MONTHS = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
  };
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

  private final String text;
  private final BitSet seconds;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean domRestricted;
  private final boolean dowRestricted;

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
    int o = f.length == 6 ? 1 : 0;
    seconds = o == 1 ? parse(f[0], 0, 59, null, "second") : single(0);
    minutes = parse(f[o], 0, 59, null, "minute");
    hours = parse(f[o + 1], 0, 23, null, "hour");
    daysOfMonth = parse(f[o + 2], 1, 31, null, "day of month");
    months = parse(f[o + 3], 1, 12, MONTHS, "month");
    BitSet dow = parse(f[o + 4], 0, 7, DAYS, "day of week");
    if (dow.get(7)) {
      dow.set(0);
    }
    daysOfWeek = dow;
    domRestricted = !f[o + 2].equals("*") && !f[o + 2].equals("?");
    dowRestricted = !f[o + 4].equals("*") && !f[o + 4].equals("?");
  }

  private static BitSet single(int v) {
    BitSet b = new BitSet();
    b.set(v);
    return b;
  }

  private static BitSet parse(String field, int min, int max, String[] names, String what) {
    BitSet out = new BitSet();
    for (String part : field.split(",")) {
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = number(part.substring(slash + 1), 1, max, null, what);
        range = part.substring(0, slash);
      }
      int lo;
      int hi;
      if (range.equals("*") || range.equals("?")) {
        lo = min;
        hi = max;
      } else if (range.contains("-")) {
        String[] ab = range.split("-", 2);
        lo = number(ab[0], min, max, names, what);
        hi = number(ab[1], min, max, names, what);
      } else {
        lo = number(range, min, max, names, what);
        hi = slash >= 0 ? max : lo;
      }
      if (lo > hi) {
        throw new IllegalArgumentException(what + " range '" + range + "' runs backwards");
      }
      for (int v = lo; v <= hi; v += step) {
        out.set(v);
      }
    }
    return out;
  }

  private static int number(String s, int min, int max, String[] names, String what) {
    String u = s.trim().toUpperCase(Locale.ROOT);
    if (names != null) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(u)) {
          return names == MONTHS ? i + 1 : i;
        }
      }
    }
    try {
      int v = Integer.parseInt(u);
      if (v < min || v > max) {
        throw new IllegalArgumentException(what + " " + v + " is outside " + min + "-" + max);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not a valid " + what);
    }
  }

  private boolean dayMatches(ZonedDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
    if (domRestricted && dowRestricted) {
      return dom || dow;
    }
    return (!domRestricted || dom) && (!dowRestricted || dow);
  }

  /** The first time strictly after {@code after} that matches, or null if none within 5 years. */
  public ZonedDateTime next(ZonedDateTime after) {
    ZonedDateTime t = after.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    ZonedDateTime limit = after.plusYears(5);
    while (t.isBefore(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
      } else if (!dayMatches(t)) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
      } else if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
      } else if (!seconds.get(t.getSecond())) {
        t = t.plusSeconds(1);
      } else {
        return t;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return text;
  }
}
