// A min-heap of deadlines: the shared-thread scheduler's sleeping guests, earliest
// first, and among equal deadlines the one that went to sleep first.

interface Entry<T> {
  deadline: bigint;
  seq: number;
  item: T;
}

export class TimerHeap<T> {
  private readonly heap: Entry<T>[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(deadline: bigint, item: T): void {
    const h = this.heap;
    h.push({ deadline, seq: this.seq++, item });
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  /** The earliest deadline, or undefined when empty. */
  peek(): bigint | undefined {
    return this.heap[0]?.deadline;
  }

  /** Removes and returns the earliest entry's item. */
  pop(): T | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top?.item;
    h[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.before(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.before(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
    return top.item;
  }

  private before(a: Entry<T>, b: Entry<T>): boolean {
    return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
  }
}
