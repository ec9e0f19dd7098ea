// BLOCK_BASIC on a host file or block device (--block:NAME=PATH). The main thread
// opens and checks it; the guest's worker does positioned reads and writes on the
// same descriptor, so a write that returned OK is in the file (page cache) and
// survives the tender being killed. A failed transfer is a HostIoError (EUNSPEC for
// the guest); a write may have put part of its bytes in the file, never said OK.
import fs from "node:fs";
import type { BlockBackend } from "../../core/backend.js";
import { checkCapacity } from "../../core/checks.js";
import { HostIoError } from "../../core/errors.js";
import { deviceOption, refuseOption } from "../../core/options.js";
import type { BlockSettings, NodeBackend } from "./device-type.js";

export interface Spec {
  kind: "file";
  name: string;
  path: string;
  fd: number;
  capacity: number;
  blockSize: number;
}

/** Size of a block device, from sysfs (fstat reports 0 for them). */
function blockDeviceSize(stat: fs.Stats): number {
  const major = Math.floor(stat.rdev / 256) & 0xfff;
  const minor = (stat.rdev & 0xff) | ((stat.rdev >> 12) & 0xfff00);
  return Number(fs.readFileSync(`/sys/dev/block/${major}:${minor}/size`, "utf8").trim()) * 512;
}

function attach(name: string, { path, sectorSize }: { path: string } & BlockSettings) {
  const refuse = (why: string) => refuseOption(deviceOption(name, "BLOCK_BASIC"), path, why);
  let fd: number;
  try {
    fd = fs.openSync(path, "r+");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file: create it first (e.g. truncate -s 1M FILE)"
      : code === "EACCES" || code === "EPERM" || code === "EROFS" ? "cannot open it read-write (permission denied or read-only)"
      : code === "EISDIR" ? "it is a directory, not a file"
      : code === "ENOTDIR" ? "a component of the path is not a directory"
      : (e as Error).message;
    throw refuse(why);
  }
  const stat = fs.fstatSync(fd);
  const capacity = stat.isBlockDevice() ? blockDeviceSize(stat) : stat.isFile() ? stat.size : -1;
  if (capacity < 0) {
    fs.closeSync(fd);
    throw refuse("not a regular file or block device");
  }
  try {
    checkCapacity(name, path, capacity, sectorSize);
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
  const spec: Spec = { kind: "file", name, path, fd, capacity, blockSize: sectorSize };
  return { spec, close: () => fs.closeSync(fd) };
}

// fs.readSync and fs.writeSync refuse more than 2^31-1 bytes a call (ERR_OUT_OF_RANGE),
// and the OS may move less than asked anyway (Linux: at most 0x7ffff000 a call): a
// transfer goes in calls of at most 1 GiB, each looping until done.
const CHUNK = 1 << 30;

function open(spec: Spec): BlockBackend {
  let reads = 0;
  let writes = 0;
  const ioError = (op: string, length: number, offset: number, e: unknown) =>
    new HostIoError(
      `host I/O error on block device ${spec.name} (${spec.path}): ${op} of ${length} bytes at offset ${offset} failed: ${(e as Error).message}`,
    );
  return {
    capacity: spec.capacity,
    blockSize: spec.blockSize,
    read(offset, memory, at, length) {
      try {
        for (let done = 0; done < length; ) {
          const n = fs.readSync(spec.fd, memory, at + done, Math.min(length - done, CHUNK), offset + done);
          if (n === 0) throw new Error(`the file ends at ${fs.fstatSync(spec.fd).size} bytes: it shrank after it was attached`);
          done += n;
        }
      } catch (e) {
        throw ioError("read", length, offset, e);
      }
      reads++;
    },
    write(offset, memory, at, length) {
      try {
        // Short writes are retried: an acknowledged write must be wholly in the file.
        for (let done = 0; done < length; ) {
          done += fs.writeSync(spec.fd, memory, at + done, Math.min(length - done, CHUNK), offset + done);
        }
      } catch (e) {
        throw ioError("write", length, offset, e);
      }
      writes++;
    },
    describe: () => `file ${spec.path}, ${spec.capacity} bytes in sectors of ${spec.blockSize}`,
    stats: () => `reads ${reads} writes ${writes}`,
  };
}

export const blockFile: NodeBackend<{ path: string } & BlockSettings, Spec> = {
  type: "BLOCK_BASIC",
  kind: "file",
  syntax: "PATH",
  attach,
  open: (spec) => ({ backend: { type: "BLOCK_BASIC", block: open(spec) } }),
};
