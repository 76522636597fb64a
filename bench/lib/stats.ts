/** Percentiles, medians and timing loops shared by the benchmark parts. */

export const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
export const pct = (xs: number[], p: number) =>
  sorted(xs)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] as number;
export const median = (xs: number[]) => pct(xs, 50);
export const ms = (n: number) => `${n.toFixed(3)} ms`;

/** Runs `call` `n` times one after another and returns each call's time in milliseconds. */
export async function timeCalls(n: number, call: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await call();
    times.push(performance.now() - t);
  }
  return times;
}
