/**
 * Hostaway's response envelope (index page, "Standard Response"), rendered as JSON text.
 *
 * List bodies are assembled from each object's cached JSON: the store replaces an object when it
 * changes, so caching by identity is always fresh and a list request costs string joins, not a full
 * serialization. This is what lets the sandbox serve thousands of list requests a second.
 */
const jsonOf = new WeakMap<object, string>();

export function cachedJson(value: object): string {
  let text = jsonOf.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    jsonOf.set(value, text);
  }
  return text;
}

export function itemBody(item: object | null): string {
  return `{"status":"success","result":${item === null ? 'null' : cachedJson(item)}}`;
}

/** A page of `all` (already filtered and sorted), with the documented pagination fields. */
export function pageBody(all: readonly object[], limit: number | undefined, offset: number): string {
  const items = limit === undefined ? all.slice(offset) : all.slice(offset, offset + limit);
  return listBody(items, all.length, limit, offset);
}

export function listBody(
  items: readonly object[],
  count: number,
  limit: number | undefined,
  offset: number,
): string {
  const page = limit ? Math.floor(offset / limit) + 1 : 1;
  const totalPages = limit ? Math.max(1, Math.ceil(count / limit)) : 1;
  const parts = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) parts[i] = cachedJson(items[i] as object);
  return `{"status":"success","result":[${parts.join(',')}],"count":${count},"limit":${limit ?? null},"offset":${offset},"page":${page},"totalPages":${totalPages}}`;
}

export function failBody(message: string): string {
  return JSON.stringify({ status: 'fail', result: message });
}

/** The documented 429 body (index page, "Rate limits"): the text sits under `message`. */
export const RATE_LIMIT_BODY = JSON.stringify({
  status: 'fail',
  message:
    'This error occurs because a server detects that your application has exceeded the rate limits or has made too many requests in a given period of time.',
});
