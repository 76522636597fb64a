/**
 * Reading query strings and form bodies the way Hostaway's endpoints take them: integers, 0/1 booleans,
 * `YYYY-MM-DD` dates, enumerations and arrays written `name[]=1`, `name[0]=1` or `name=1,2`. A value that
 * does not parse is a 400 that names the parameter and says what it expected; it never reaches a handler.
 */
import { isIsoDate } from '../hostaway/dates.js';
import { badRequest } from './http-error.js';

export type Params = Record<string, string | string[] | undefined>;

/** Collects a URLSearchParams or a parsed form body into name -> values, folding `a[]` and `a[0]` into `a`. */
export function collectParams(entries: Iterable<[string, unknown]>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [rawKey, rawValue] of entries) {
    const key = rawKey.replace(/\[\d*\]$/, '');
    const values = Array.isArray(rawValue) ? rawValue : [rawValue];
    for (const v of values) {
      if (v === undefined || v === null) continue;
      const list = out.get(key) ?? [];
      list.push(typeof v === 'string' ? v : String(v));
      out.set(key, list);
    }
  }
  return out;
}

export class ParamReader {
  constructor(private readonly params: Map<string, string[]>) {}

  static fromUrl(url: URL): ParamReader {
    return new ParamReader(collectParams(url.searchParams.entries()));
  }

  /** The single value of a parameter; empty strings count as absent (Hostaway's own examples send `limit=`). */
  string(name: string): string | undefined {
    const values = this.params.get(name);
    const v = values?.[values.length - 1];
    return v === undefined || v === '' ? undefined : v;
  }

  int(name: string, bounds: { min?: number; max?: number } = {}): number | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v)) throw badRequest(`${name} must be an integer, got "${v}"`);
    const n = Number(v);
    if (bounds.min !== undefined && n < bounds.min)
      throw badRequest(`${name} must be at least ${bounds.min}`);
    if (bounds.max !== undefined && n > bounds.max) throw badRequest(`${name} must be at most ${bounds.max}`);
    return n;
  }

  bool(name: string): boolean | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    if (v === '1' || v === 'true') return true;
    if (v === '0' || v === 'false') return false;
    throw badRequest(`${name} must be 0 or 1, got "${v}"`);
  }

  date(name: string): string | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    // Some filters take a timestamp; its date part is what we compare on.
    const day = v.slice(0, 10);
    if (!isIsoDate(day) || (v.length > 10 && !/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/.test(v))) {
      throw badRequest(`${name} must be a date as YYYY-MM-DD, got "${v}"`);
    }
    return day;
  }

  oneOf<const T extends string>(
    name: string,
    allowed: readonly T[],
    options: { ignoreCase?: boolean } = {},
  ): T | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    const found = allowed.find((a) => (options.ignoreCase ? a.toLowerCase() === v.toLowerCase() : a === v));
    if (!found) throw badRequest(`${name} must be one of: ${allowed.join(', ')}; got "${v}"`);
    return found;
  }

  /** All values of an array parameter (`name[]=`, `name[0]=`, repeated, or comma separated). */
  list(name: string): string[] | undefined {
    const values = this.params
      .get(name)
      ?.flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v !== '');
    return values && values.length > 0 ? values : undefined;
  }

  intList(name: string): number[] | undefined {
    const values = this.list(name);
    if (!values) return undefined;
    return values.map((v) => {
      if (!/^\d+$/.test(v)) throw badRequest(`${name} must hold integers, got "${v}"`);
      return Number(v);
    });
  }
}

/** Paging as the list endpoints take it. */
export function readPaging(
  q: ParamReader,
  defaultLimit?: number,
): { limit: number | undefined; offset: number } {
  return {
    limit: q.int('limit', { min: 1, max: 10_000 }) ?? defaultLimit,
    offset: q.int('offset', { min: 0 }) ?? 0,
  };
}

/** Date range checks shared by every endpoint that takes a start and an end. */
export function checkRange(
  startName: string,
  start: string | undefined,
  endName: string,
  end: string | undefined,
): void {
  if (start && end && start > end)
    throw badRequest(`${startName} (${start}) must not be after ${endName} (${end})`);
}
