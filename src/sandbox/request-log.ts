/**
 * Every API request the sandbox answered, in order, so that tests and benchmarks can count upstream
 * calls, check spacing against the rate limits and see which faults fired. Bounded: the oldest entries
 * go first once `capacity` is reached; `seq` keeps counting so readers can ask for what is new.
 */
export interface RequestLogEntry {
  seq: number;
  /** Milliseconds since the epoch when the request arrived. */
  at: number;
  method: string;
  path: string;
  query: string;
  /** HTTP status sent, or 0 when the connection was reset on purpose. */
  status: number;
  ip: string;
  accountId: number | null;
  durationMs: number;
  /** The injected fault that shaped this answer, if any. */
  fault: string | null;
  /** The client's `X-Request-Id` header, which carries its correlation id. */
  requestId: string | null;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly capacity = 100_000) {}

  add(entry: Omit<RequestLogEntry, 'seq'>): void {
    this.entries.push({ ...entry, seq: ++this.seq });
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  /** Entries after sequence number `since` (all when omitted). */
  list(since = 0): RequestLogEntry[] {
    return since <= 0 ? [...this.entries] : this.entries.filter((e) => e.seq > since);
  }

  /** The sequence number of the latest entry: pass it to `list` later to read only what came after. */
  get lastSeq(): number {
    return this.seq;
  }

  clear(): void {
    this.entries = [];
  }
}
