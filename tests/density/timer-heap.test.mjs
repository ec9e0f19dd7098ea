// The scheduler's deadline heap: earliest first, and equal deadlines in the order
// they were pushed (guests that went to sleep first wake first).
import { TimerHeap } from "../../dist/core/pool/timer-heap.js";

test("pops in deadline order, ties in push order, through interleaved pushes and pops", () => {
  const heap = new TimerHeap();
  const expected = [];
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % 50;
  const popped = [];
  for (let i = 0; i < 2000; i++) {
    const item = { deadline: BigInt(random()), i };
    heap.push(item.deadline, item);
    expected.push(item);
    if (i % 3 === 2) popped.push(heap.pop());
  }
  while (heap.size > 0) popped.push(heap.pop());
  expect(heap.pop()).toBeUndefined();
  expect(heap.peek()).toBeUndefined();
  expect(popped).toHaveLength(2000);
  // Every pop is the earliest of what was in the heap then: check by replaying.
  const pending = [];
  let next = 0;
  for (let i = 0; i < 2000; i++) {
    pending.push(expected[i]);
    if (i % 3 === 2 || i === 1999) {
      const drain = i === 1999 ? pending.length : 1;
      for (let k = 0; k < drain; k++) {
        pending.sort((a, b) => (a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : a.i - b.i));
        expect(popped[next++]).toBe(pending.shift());
      }
    }
  }
});
