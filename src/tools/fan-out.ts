/**
 * Requests made one per listing, four at a time: the client's rate gate spaces them anyway, and a
 * bounded number in flight keeps the caller's abort signal from collecting a listener per listing.
 */
export const FAN_OUT = 4;

/** `fn` over `items`, at most `limit` at once, results in the order of `items`. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
