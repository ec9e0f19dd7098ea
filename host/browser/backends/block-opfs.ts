// BLOCK_BASIC on a file in the Origin Private File System, so a guest's disk
// survives a page reload. The page finds (or creates) the file and fixes its
// capacity before the guest starts; the guest's worker opens a synchronous access
// handle (workers only), which also locks the file against a second guest.
// Every write is flushed before it returns OK, as the ABI asks of a host file.
import type { AttachedDevice, BlockBackend, OpenedDevice } from "../../core/backend.js";
import { checkCapacity } from "../../core/checks.js";
import { HostIoError, TenderError } from "../../core/errors.js";
import { deviceOption, refuseOption, type OptionRefusal } from "../../core/options.js";
import type { BlockSettings, BrowserBackend } from "./browser-backend.js";

/** The page's option: { type: "BLOCK_BASIC", opfs: path, size?, sectorSize? }. */
export interface OpfsOption {
  opfs: string;
  /** Bytes: creates the file (and its folders) when it is missing or empty. */
  size?: number;
}

export interface Spec {
  kind: "opfs";
  name: string;
  path: string;
  /** Structured-cloneable: the worker opens the same file. */
  file: FileSystemFileHandle;
  capacity: number;
  blockSize: number;
}

/** The part of FileSystemSyncAccessHandle used here (TypeScript's DOM library lacks it: it is worker-only). */
interface SyncAccessHandle {
  read(into: Uint8Array, options: { at: number }): number;
  write(data: Uint8Array, options: { at: number }): number;
  flush(): void;
  getSize(): number;
  truncate(size: number): void;
  close(): void;
}

/** A refusal of device `name` on OPFS file `path`. */
function refuse(name: string, path: string, why: string): OptionRefusal {
  return refuseOption(deviceOption(name, "BLOCK_BASIC"), `opfs:${path}`, why);
}

/** A refusal for an OPFS call that failed, saying why in the user's terms. */
function cannotOpen(name: string, path: string, e: unknown): TenderError {
  const err = e as DOMException;
  if (err.name === "NotFoundError") return refuse(name, path, "no such file in the Origin Private File System: give a size to create it");
  if (err.name === "NoModificationAllowedError") return refuse(name, path, "the file is in use by another guest, in this tab or another: stop that guest first");
  return refuse(name, path, `cannot open it: ${err.name}: ${err.message}`);
}

/**
 * Page side. `path` is a file in the origin's private file system ("a/b/disk.img");
 * with `size` (bytes) it and its folders are created when missing or empty, otherwise
 * the file must exist. An existing file's size is the capacity, as a host file's is.
 */
async function attach(name: string, { opfs: path, size, sectorSize }: OpfsOption & BlockSettings): Promise<AttachedDevice<Spec>> {
  const parts = path.split("/");
  if (parts.some((p) => p === "" || p === "." || p === "..")) {
    throw refuse(name, path, `a path is names separated by single slashes, without . or .. (e.g. "disks/kv.img")`);
  }
  if (!navigator.storage?.getDirectory) {
    throw refuse(name, path, "this browser has no Origin Private File System (navigator.storage.getDirectory): use a memory block device");
  }
  const create = size !== undefined;
  let file: FileSystemFileHandle;
  let current: number;
  try {
    let dir = await navigator.storage.getDirectory();
    for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, { create });
    file = await dir.getFileHandle(parts.at(-1)!, { create });
    current = (await file.getFile()).size;
  } catch (e) {
    throw cannotOpen(name, path, e);
  }
  const capacity = current > 0 ? current : (size ?? 0);
  checkCapacity(name, `opfs:${path}`, capacity, sectorSize);
  // Sized here, not in the worker, so that a guest started right after sees the capacity too.
  if (current === 0) await resize(name, path, file, capacity);
  return { spec: { kind: "opfs", name, path, file, capacity, blockSize: sectorSize }, close() {} };
}

async function resize(name: string, path: string, file: FileSystemFileHandle, size: number): Promise<void> {
  try {
    const writable = await file.createWritable({ keepExistingData: true });
    await writable.truncate(size);
    await writable.close();
  } catch (e) {
    throw cannotOpen(name, path, e);
  }
}

/**
 * How long a guest waits for a file another guest still holds. A guest stopped with
 * stop() releases its handle only when its worker is torn down, shortly after; a
 * disk reopened at once (stop, then run again) waits that out instead of failing.
 */
const LOCK_WAIT_MS = 2000;
const LOCK_RETRY_MS = 50;

/** Worker side: opens the handle, which locks the file until close(). */
async function open(spec: Spec): Promise<OpenedDevice> {
  const file = spec.file as unknown as { createSyncAccessHandle(): Promise<SyncAccessHandle> };
  let handle: SyncAccessHandle | undefined;
  for (const giveUp = performance.now() + LOCK_WAIT_MS; !handle; ) {
    try {
      handle = await file.createSyncAccessHandle();
    } catch (e) {
      if ((e as DOMException).name !== "NoModificationAllowedError" || performance.now() > giveUp) throw cannotOpen(spec.name, spec.path, e);
      await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
    }
  }
  if (handle.getSize() !== spec.capacity) {
    handle.close();
    throw refuse(spec.name, spec.path, `the file changed size (${spec.capacity} bytes) while the guest was starting`);
  }
  return { backend: { type: "BLOCK_BASIC", block: backend(spec, handle) }, close: () => handle.close() };
}

function backend(spec: Spec, handle: SyncAccessHandle): BlockBackend {
  let reads = 0;
  let writes = 0;
  // As for a host file: a failed transfer is EUNSPEC for the guest (quota exceeded, ...).
  const io = (op: "read" | "write", bytes: Uint8Array, offset: number, call: () => number) => {
    let why: string | undefined;
    try {
      const n = call();
      if (n !== bytes.length) why = `only ${n} bytes were transferred`;
    } catch (e) {
      why = (e as Error).message;
    }
    if (why !== undefined) {
      throw new HostIoError(`host I/O error on block device ${spec.name} (opfs:${spec.path}): ${op} of ${bytes.length} bytes at offset ${offset} failed: ${why}`);
    }
  };
  return {
    capacity: spec.capacity,
    blockSize: spec.blockSize,
    read(offset, memory, at, length) {
      const into = memory.subarray(at, at + length);
      io("read", into, offset, () => handle.read(into, { at: offset }));
      reads++;
    },
    write(offset, memory, at, length) {
      const data = memory.subarray(at, at + length);
      io("write", data, offset, () => {
        const n = handle.write(data, { at: offset });
        handle.flush();
        return n;
      });
      writes++;
    },
    describe: () => `opfs:${spec.path}, ${spec.capacity} bytes in sectors of ${spec.blockSize}`,
    stats: () => `reads ${reads} writes ${writes}`,
  };
}

export const blockOpfs: BrowserBackend<OpfsOption & BlockSettings, Spec> = {
  type: "BLOCK_BASIC",
  kind: "opfs",
  field: "opfs",
  attach,
  open,
};
