/**
 * Dates as Hostaway writes them: calendar dates `YYYY-MM-DD` (in the listing's own zone for stays and
 * calendars) and timestamps `YYYY-MM-DD HH:MM:SS` in UTC. Calendar-date arithmetic is done on UTC
 * midnights so that no local daylight-saving shift can move a date.
 */

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `value` is a real calendar date written `YYYY-MM-DD` (rejects 2026-02-30). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Days since 1970-01-01 for a `YYYY-MM-DD` date. */
export function dayNumber(date: string): number {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

// Calendars and stays revisit the same few thousand dates; formatting each once is enough.
const dateOfDay = new Map<number, string>();

/** The `YYYY-MM-DD` date of a day number. */
export function fromDayNumber(day: number): string {
  let date = dateOfDay.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dateOfDay.size < 100_000) dateOfDay.set(day, date);
  }
  return date;
}

export function addDays(date: string, days: number): string {
  return fromDayNumber(dayNumber(date) + days);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** Day of week, 0 = Sunday, of a `YYYY-MM-DD` date or a day number. */
export function weekday(date: string | number): number {
  return ((typeof date === 'number' ? date : dayNumber(date)) + 4) % 7;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** UTC timestamp in Hostaway's `YYYY-MM-DD HH:MM:SS` form. */
export function formatDateTime(instant: Date | number): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const day = Math.floor(ms / DAY_MS);
  const seconds = Math.floor((ms - day * DAY_MS) / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${fromDayNumber(day)} ${pad2(h)}:${pad2(m)}:${pad2(seconds % 60)}`;
}

/** Milliseconds since the epoch of a Hostaway UTC timestamp (`YYYY-MM-DD HH:MM:SS`) or date. */
export function parseDateTime(value: string): number {
  return Date.parse(value.length === 10 ? `${value}T00:00:00Z` : `${value.replace(' ', 'T')}Z`);
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date that `instant` falls on in IANA time zone `timeZone`. */
export function dateInZone(instant: Date | number, timeZone: string): string {
  let fmt = zoneFormatters.get(timeZone);
  if (!fmt) {
    // en-CA formats dates as YYYY-MM-DD.
    fmt = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    zoneFormatters.set(timeZone, fmt);
  }
  return fmt.format(typeof instant === 'number' ? new Date(instant) : instant);
}

const timeFormatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time (HH:MM, 24-hour) that `instant` shows in IANA time zone `timeZone`. */
export function timeInZone(instant: Date | number, timeZone: string): string {
  let fmt = timeFormatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    timeFormatters.set(timeZone, fmt);
  }
  return fmt.format(typeof instant === 'number' ? new Date(instant) : instant);
}

/**
 * The UTC instant of local wall-clock time `hour`:00 on `date` in `timeZone`. Used to turn a listing's
 * check-in hour into a timestamp. Two passes settle the zone offset, daylight-saving days included.
 */
export function zonedTimeToUtc(date: string, hour: number, timeZone: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`) + hour * 3_600_000;
  let guess = wall;
  for (let i = 0; i < 2; i++) guess = wall - zoneOffsetMs(guess, timeZone);
  return guess;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

function zoneOffsetMs(instant: number, timeZone: string): number {
  let fmt = offsetFormatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormatters.set(timeZone, fmt);
  }
  const parts = fmt.formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}
