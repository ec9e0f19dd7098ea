// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zlib and Ethernet use), so
// that a record torn by a crash or scribbled on fails its check instead of being
// returned. Table-driven; the table is built on first use.
const POLY: u32 = 0xedb88320;
const table = new StaticArray<u32>(256);
let tableReady = false;

function buildTable(): void {
  for (let n: u32 = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? POLY ^ (c >>> 1) : c >>> 1;
    unchecked((table[n] = c));
  }
  tableReady = true;
}

/** The CRC-32 of `len` bytes at `ptr`. */
export function crc32(ptr: usize, len: usize): u32 {
  if (!tableReady) buildTable();
  let c: u32 = 0xffffffff;
  for (let i: usize = 0; i < len; i++) c = unchecked(table[(c ^ load<u8>(ptr + i)) & 0xff]) ^ (c >>> 8);
  return c ^ 0xffffffff;
}
