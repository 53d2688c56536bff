/**
 * Timestamps in log lines, normalised to UTC: the formats an engineer meets pasting from someone
 * else's production — ISO 8601 and its log variants (Java's comma fraction, a space for the T),
 * Apache/nginx access logs, HTTP and mail dates, syslog and journald, Go and Python's slashed
 * dates, Windows' month/day with AM/PM, and epoch seconds or milliseconds in JSON. What a line
 * does not say is flagged, never guessed silently: no time zone (read as UTC), no year (taken from
 * the note's date), day and month that could be either way, a zone abbreviation that names
 * several zones.
 */

export interface FoundTimestamp {
  /** The instant in UTC (ISO 8601), as read (see `flags` for what was assumed). */
  iso: string;
  /** Milliseconds since the epoch: for ordering. */
  ms: number;
  /** The text as it appears in the line. */
  raw: string;
  /** What the line left open and how it was read; empty when the timestamp is unambiguous. */
  flags: string[];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*';

/** Abbreviations with one meaning, as offsets in minutes. */
const ZONES: Record<string, number> = {
  UTC: 0,
  GMT: 0,
  Z: 0,
  WET: 0,
  WEST: 60,
  CET: 60,
  CEST: 120,
  EET: 120,
  EEST: 180,
  MSK: 180,
  EST: -300,
  EDT: -240,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  AEST: 600,
  AEDT: 660,
  JST: 540,
};
/** Abbreviations that name several zones: read as the first, and flagged. */
const AMBIGUOUS_ZONES: Record<string, [number, string]> = {
  CST: [-360, 'US Central (also China Standard Time)'],
  IST: [330, 'India (also Irish or Israel Standard Time)'],
  BST: [60, 'British Summer Time (also Bangladesh)'],
};

/** A zone after a time: an offset, or an abbreviation this module knows (not any capitalised word: "INFO"). */
const ZONE_WORD = `(${[...Object.keys(ZONES), ...Object.keys(AMBIGUOUS_ZONES)].join('|')}|[+-]\\d{2}:?\\d{2})`;

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

function offsetOf(zone: string | undefined, flags: string[]): number | null {
  if (!zone) return null;
  const numeric = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (numeric) return (numeric[1] === '-' ? -1 : 1) * (Number(numeric[2]) * 60 + Number(numeric[3]));
  if (zone in ZONES) return ZONES[zone] as number;
  const ambiguous = AMBIGUOUS_ZONES[zone];
  if (ambiguous) {
    flags.push(`${zone} names several time zones: read as ${ambiguous[1].split(' (')[0]}`);
    return ambiguous[0];
  }
  return null;
}

function instant(parts: Parts, offsetMinutes: number | null, flags: string[]): { iso: string; ms: number } | null {
  const { year, month, day, hour, minute, second, ms } = parts;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  let at = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms);
  // Date.UTC rolls 31 February over into March: such a date is not one.
  if (new Date(at).getUTCDate() !== day) return null;
  if (offsetMinutes === null) flags.push('no time zone: read as UTC');
  else at -= offsetMinutes * 60_000;
  return { iso: new Date(at).toISOString(), ms: at };
}

const num = (m: RegExpExecArray, i: number) => Number(m[i] ?? 0);
const str = (m: RegExpExecArray, i: number) => m[i] ?? '';
const fraction = (text: string | undefined) => (text ? Math.round(Number(`0.${text}`) * 1000) : 0);
const monthOf = (name: string) => MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;

interface Format {
  re: RegExp;
  read(m: RegExpExecArray, context: TimestampContext, flags: string[]): { iso: string; ms: number } | null;
}

export interface TimestampContext {
  /** When the note was written (ISO): the year of a syslog line without one. */
  noteDate: string;
}

const FORMATS: Format[] = [
  // 2026-12-04T06:58:44.123Z · 2026-12-04 06:58:44,123 +0100 · 2026-12-04T06:58 (ISO 8601 and log variants)
  {
    re: new RegExp(`\\b(\\d{4})-(\\d{2})-(\\d{2})[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?(?:\\s?${ZONE_WORD}\\b)?`),
    read: (m, _c, flags) =>
      instant(
        { year: num(m, 1), month: num(m, 2), day: num(m, 3), hour: num(m, 4), minute: num(m, 5), second: num(m, 6), ms: fraction(m[7]) },
        offsetOf(m[8], flags),
        flags,
      ),
  },
  // [04/Dec/2026:06:58:44 +0000] (Apache, nginx)
  {
    re: new RegExp(`\\b(\\d{2})/${MONTH}/(\\d{4}):(\\d{2}):(\\d{2}):(\\d{2})(?: ([+-]\\d{4}))?`),
    read: (m, _c, flags) =>
      instant(
        { year: num(m, 3), month: monthOf(str(m, 2)), day: num(m, 1), hour: num(m, 4), minute: num(m, 5), second: num(m, 6), ms: 0 },
        offsetOf(m[7], flags),
        flags,
      ),
  },
  // Fri, 04 Dec 2026 06:58:44 GMT (HTTP Date, mail)
  {
    re: new RegExp(
      `\\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? (\\d{1,2}) ${MONTH} (\\d{4}) (\\d{2}):(\\d{2})(?::(\\d{2}))?(?: ${ZONE_WORD}\\b)?`,
    ),
    read: (m, _c, flags) =>
      instant(
        { year: num(m, 3), month: monthOf(str(m, 2)), day: num(m, 1), hour: num(m, 4), minute: num(m, 5), second: num(m, 6), ms: 0 },
        offsetOf(m[7], flags),
        flags,
      ),
  },
  // 2026/12/04 06:58:44 (Go's log package, Python's logging with a slashed date)
  {
    re: new RegExp(`\\b(\\d{4})/(\\d{2})/(\\d{2})[ T](\\d{2}):(\\d{2}):(\\d{2})(?:[.,](\\d{1,9}))?(?: ${ZONE_WORD}\\b)?`),
    read: (m, _c, flags) =>
      instant(
        { year: num(m, 1), month: num(m, 2), day: num(m, 3), hour: num(m, 4), minute: num(m, 5), second: num(m, 6), ms: fraction(m[7]) },
        offsetOf(m[8], flags),
        flags,
      ),
  },
  // 12/4/2026 6:58:44 AM · 04/12/2026 06:58 (Windows, Excel exports): day/month order from the values
  {
    re: new RegExp(`\\b(\\d{1,2})/(\\d{1,2})/(\\d{4})[ T,]+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?:\\s?([AP]M))?(?: ${ZONE_WORD}\\b)?`, 'i'),
    read: (m, _c, flags) => {
      const [a, b] = [num(m, 1), num(m, 2)];
      let month = a;
      let day = b;
      if (a > 12 && b <= 12) [month, day] = [b, a];
      else if (a <= 12 && b <= 12 && a !== b) flags.push(`${m[1]}/${m[2]} could be day/month or month/day: read as month/day`);
      let hour = num(m, 4);
      const half = m[7]?.toUpperCase();
      if (half === 'PM' && hour < 12) hour += 12;
      if (half === 'AM' && hour === 12) hour = 0;
      return instant({ year: num(m, 3), month, day, hour, minute: num(m, 5), second: num(m, 6), ms: 0 }, offsetOf(m[8], flags), flags);
    },
  },
  // Dec  4 06:58:44 (syslog, journald): no year, no zone
  {
    re: new RegExp(`\\b${MONTH} {1,2}(\\d{1,2}) (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))?`),
    read: (m, context, flags) => {
      const month = monthOf(str(m, 1));
      const written = new Date(context.noteDate);
      const noteYear = Number.isNaN(written.getTime()) ? new Date().getUTCFullYear() : written.getUTCFullYear();
      // A log pasted in January may be December's: a month after the note's is last year's.
      const year = !Number.isNaN(written.getTime()) && month > written.getUTCMonth() + 1 ? noteYear - 1 : noteYear;
      flags.push(`no year: read as ${year}`);
      return instant(
        { year, month, day: num(m, 2), hour: num(m, 3), minute: num(m, 4), second: num(m, 5), ms: fraction(m[6]) },
        null,
        flags,
      );
    },
  },
  // {"ts": 1764831524.123} · "timestamp":1764831524123 (epoch seconds or milliseconds in JSON lines)
  {
    re: /"(?:ts|time|timestamp|@timestamp|t|date)"\s*:\s*(\d{10}(?:\.\d{1,6})?|\d{13})\b/,
    read: (m) => {
      const value = Number(m[1]);
      const at = str(m, 1).length === 13 ? value : Math.round(value * 1000);
      return { iso: new Date(at).toISOString(), ms: at };
    },
  },
];

/** The first timestamp in a line (the one furthest left, where log lines carry it), or null. */
export function findTimestamp(line: string, context: TimestampContext): FoundTimestamp | null {
  let best: { index: number; found: FoundTimestamp } | null = null;
  for (const format of FORMATS) {
    const match = format.re.exec(line);
    if (!match || (best && match.index >= best.index)) continue;
    const flags: string[] = [];
    const read = format.read(match, context, flags);
    if (read) best = { index: match.index, found: { ...read, raw: match[0].trim(), flags } };
  }
  return best?.found ?? null;
}
