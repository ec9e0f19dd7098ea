// The clocks of a guest in Node, as its clock_monotonic and clock_wall give them.

// hrtime.bigint itself, not a closure over it: the guest's import calls it directly
// (one JS frame less per clock_monotonic; it does not use `this`).
export const monotonicNs: () => bigint = process.hrtime.bigint;
// The wall clock as the monotonic one plus the Unix time of its zero, taken once from
// timeOrigin + now() (sub-millisecond, unlike Date.now()): the same clock as reading
// those two every time (neither follows later steps of the system clock), at a
// tenth of the cost (bench/platform: 331 -> 33 ns), and exact to the nanosecond
// where a double of nanoseconds since 1970 is not.
const wallOffsetNs = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6)) - monotonicNs();
export const wallNs = (): bigint => monotonicNs() + wallOffsetNs;
