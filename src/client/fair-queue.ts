/**
 * The rate gate's waiting line, fair among callers: each caller (an HTTP token's name, an OAuth
 * subject, a stdio session) has its own first-come line, and turns go round the callers in order. One
 * caller's burst of a hundred requests therefore delays another caller's single request by at most one
 * turn per other waiting caller, not by the whole burst. With one caller it is a plain FIFO.
 */
export class FairQueue<T> {
  private readonly lines = new Map<string, T[]>();
  /** Callers with someone waiting, in the order their turns come round. */
  private readonly order: string[] = [];
  private next = 0;
  private size = 0;

  get length(): number {
    return this.size;
  }

  /** Callers with at least one request waiting. */
  get callers(): number {
    return this.order.length;
  }

  waitingFor(caller: string): number {
    return this.lines.get(caller)?.length ?? 0;
  }

  push(caller: string, item: T): void {
    let line = this.lines.get(caller);
    if (!line) {
      line = [];
      this.lines.set(caller, line);
      // A caller who arrives joins the round just before the one whose turn is next: last in this round.
      this.order.splice(this.next, 0, caller);
      this.next++;
    }
    line.push(item);
    this.size++;
  }

  /** The first waiting request of the caller whose turn it is; the turn passes to the next caller. */
  shift(): T | undefined {
    if (this.order.length === 0) return undefined;
    if (this.next >= this.order.length) this.next = 0;
    const caller = this.order[this.next] as string;
    const line = this.lines.get(caller) as T[];
    const item = line.shift() as T;
    this.size--;
    if (line.length === 0) this.drop(caller, this.next);
    else this.next++;
    return item;
  }

  /** Takes a request out of its line wherever it stands (it was cancelled or timed out). */
  remove(caller: string, item: T): boolean {
    const line = this.lines.get(caller);
    const i = line ? line.indexOf(item) : -1;
    if (!line || i < 0) return false;
    line.splice(i, 1);
    this.size--;
    if (line.length === 0) this.drop(caller, this.order.indexOf(caller));
    return true;
  }

  private drop(caller: string, at: number): void {
    this.lines.delete(caller);
    this.order.splice(at, 1);
    // The callers after it moved up one place: the turn stays with whoever was next.
    if (at < this.next) this.next--;
  }
}
