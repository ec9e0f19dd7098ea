// Seeded randomness for the DHCP and DNS test guests: the same numbers every run, given
// where the stack's services would take the host's entropy. xorshift64*.

let state: u64 = 0x9e3779b97f4a7c15;

export function seedRandom(seed: u64): void {
  state = seed * 0x9e3779b97f4a7c15 | 1;
}

export function seededRandom(): u32 {
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  return <u32>((state * 0x2545f4914f6cdd1d) >> 32);
}
