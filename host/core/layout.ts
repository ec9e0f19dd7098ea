// Where things go in guest memory at start (ABI section 2):
//   [0, heapBase)                 the guest's static image
//   si = align16(heapBase)        solo5_start_info (12 bytes) + 4 reserved
//   si + 16                       the command line, NUL-terminated
//   heapStart = align16(after NUL) ... memBytes: the heap, the guest's alone
import { CMDLINE_MAX, HEAP_MIN, MIB, START_INFO, align16 } from "./abi.js";
import { TenderError } from "./errors.js";
import { MEM_OPTION, OptionRefusal } from "./options.js";

export interface Layout {
  memBytes: number;
  heapBase: number;
  startInfo: number;
  cmdline: number;
  cmdlineBytes: Uint8Array;
  heapStart: number;
  heapSize: number;
}

export function computeLayout(heapBase: number, cmdline: string, memBytes: number): Layout {
  const cmdlineBytes = new TextEncoder().encode(cmdline);
  if (cmdlineBytes.length > CMDLINE_MAX) {
    throw new TenderError(`command line is ${cmdlineBytes.length} bytes, at most ${CMDLINE_MAX} are allowed: shorten the guest's arguments`);
  }
  const startInfo = align16(heapBase);
  const cmdlineAt = startInfo + START_INFO.size;
  const heapStart = align16(cmdlineAt + cmdlineBytes.length + 1);
  const heapSize = memBytes - heapStart;
  if (heapSize < HEAP_MIN) {
    throw new OptionRefusal(
      MEM_OPTION,
      (w) =>
        `${w.set(MEM_OPTION, memBytes / MIB)} is too small: static image (${heapBase} bytes), start info and command line ` +
        `(${cmdlineBytes.length} bytes) leave ${Math.max(heapSize, 0)} bytes of heap, at least ${HEAP_MIN} are needed: raise ${w.name(MEM_OPTION)}`,
    );
  }
  return { memBytes, heapBase, startInfo, cmdline: cmdlineAt, cmdlineBytes, heapStart, heapSize };
}

/** Writes the start info and command line; the rest of memory is left as instantiation made it. */
export function writeStartInfo(bytes: Uint8Array, layout: Layout): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint32(layout.startInfo + START_INFO.cmdline, layout.cmdline, true);
  view.setUint32(layout.startInfo + START_INFO.heapStart, layout.heapStart, true);
  view.setUint32(layout.startInfo + START_INFO.heapSize, layout.heapSize, true);
  view.setUint32(layout.startInfo + 12, 0, true);
  bytes.set(layout.cmdlineBytes, layout.cmdline);
  bytes[layout.cmdline + layout.cmdlineBytes.length] = 0;
}
