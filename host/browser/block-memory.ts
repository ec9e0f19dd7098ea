// BLOCK_BASIC in memory, for tests and demos: the page hands over an ArrayBuffer.
// The guest's worker reads and writes a SharedArrayBuffer. One the page gives is used
// as it is (the page sees each write as soon as it returned OK); a plain ArrayBuffer
// is copied in at start and the guest's writes are copied back when it has ended.
import { SECTOR_SIZE_DEFAULT } from "../core/abi.js";
import { checkCapacity, checkSectorSize } from "../core/checks.js";
import type { BlockBackend } from "../core/hypercalls/block.js";
import type { AttachedDevice } from "./devices.js";

export interface Spec {
  kind: "memory";
  name: string;
  buffer: SharedArrayBuffer;
  blockSize: number;
}

export function attach(name: string, buffer: ArrayBuffer | SharedArrayBuffer, sectorSize = SECTOR_SIZE_DEFAULT): AttachedDevice {
  checkSectorSize(name, sectorSize);
  checkCapacity(`devices.${name} (memory)`, buffer.byteLength, sectorSize);
  if (buffer instanceof SharedArrayBuffer) return { spec: { kind: "memory", name, buffer, blockSize: sectorSize }, close() {} };
  const shared = new SharedArrayBuffer(buffer.byteLength);
  new Uint8Array(shared).set(new Uint8Array(buffer));
  return {
    spec: { kind: "memory", name, buffer: shared, blockSize: sectorSize },
    close: () => new Uint8Array(buffer).set(new Uint8Array(shared)),
  };
}

/** Worker side. Offsets and sizes were checked by the core against the capacity. */
export function open(spec: Spec): BlockBackend {
  const bytes = new Uint8Array(spec.buffer);
  let reads = 0;
  let writes = 0;
  return {
    capacity: bytes.length,
    blockSize: spec.blockSize,
    read(offset, memory, at, length) {
      memory.set(bytes.subarray(offset, offset + length), at);
      reads++;
    },
    write(offset, memory, at, length) {
      bytes.set(memory.subarray(at, at + length), offset);
      writes++;
    },
    describe: () => `memory, ${bytes.length} bytes in sectors of ${spec.blockSize}`,
    stats: () => `reads ${reads} writes ${writes}`,
  };
}
