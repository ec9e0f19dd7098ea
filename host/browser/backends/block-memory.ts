// BLOCK_BASIC in memory, for tests and demos: the page hands over an ArrayBuffer.
// The guest's worker reads and writes a SharedArrayBuffer. One the page gives is used
// as it is (the page sees each write as soon as it returned OK); a plain ArrayBuffer
// is copied in at start and the guest's writes are copied back when it has ended.
import type { AttachedDevice, BlockBackend } from "../../core/backend.js";
import { checkCapacity } from "../../core/checks.js";
import type { BlockSettings, BrowserBackend } from "./browser-backend.js";

/** The page's option: { type: "BLOCK_BASIC", memory: buffer, sectorSize? }. */
export interface MemoryOption {
  memory: ArrayBuffer | SharedArrayBuffer;
}

export interface Spec {
  kind: "memory";
  name: string;
  buffer: SharedArrayBuffer;
  blockSize: number;
}

function attach(name: string, { memory: buffer, sectorSize }: MemoryOption & BlockSettings): AttachedDevice<Spec> {
  checkCapacity(name, "memory", buffer.byteLength, sectorSize);
  if (buffer instanceof SharedArrayBuffer) return { spec: { kind: "memory", name, buffer, blockSize: sectorSize }, close() {} };
  const shared = new SharedArrayBuffer(buffer.byteLength);
  new Uint8Array(shared).set(new Uint8Array(buffer));
  return {
    spec: { kind: "memory", name, buffer: shared, blockSize: sectorSize },
    close: () => new Uint8Array(buffer).set(new Uint8Array(shared)),
  };
}

/** Worker side. Offsets and sizes were checked by the core against the capacity. */
function open(spec: Spec): BlockBackend {
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

export const blockMemory: BrowserBackend<MemoryOption & BlockSettings, Spec> = {
  type: "BLOCK_BASIC",
  kind: "memory",
  field: "memory",
  attach,
  open: (spec) => ({ backend: { type: "BLOCK_BASIC", block: open(spec) } }),
};
