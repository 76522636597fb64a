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

/**
 * Times several kinds of call side by side: `warmup` calls of each, then `rounds` rounds in which each
 * kind makes `perRound` calls in turn, the order turned by one each round. Whatever else the machine
 * does during the run then weighs on every kind alike, and a figure and its floor are measured minutes
 * apart at most, never parts apart. Each kind's times (rounds × perRound of them, a fixed number).
 */
export async function interleaved(
  kinds: Array<[string, () => Promise<unknown>]>,
  { warmup, rounds, perRound }: { warmup: number; rounds: number; perRound: number },
): Promise<Record<string, number[]>> {
  const times: Record<string, number[]> = {};
  for (const [name, call] of kinds) {
    await timeCalls(warmup, call);
    times[name] = [];
  }
  for (let r = 0; r < rounds; r++)
    for (let k = 0; k < kinds.length; k++) {
      const [name, call] = kinds[(k + r) % kinds.length] as [string, () => Promise<unknown>];
      (times[name] as number[]).push(...(await timeCalls(perRound, call)));
    }
  return times;
}
