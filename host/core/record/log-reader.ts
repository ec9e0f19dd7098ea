// Reading a record log (format.ts): its preamble and header, then every chunk with
// its checksum verified before replay starts, so that a corrupt log is refused
// with where it is corrupt. A torn last chunk (a tender killed while writing, a file
// cut short) is not a refusal: replay goes up to the last complete chunk and says so.
import { TenderError } from "../errors.js";
import type { Digests } from "./digest.js";
import { CHUNK_HEADER_BYTES, MAGIC, PREAMBLE_BYTES, READABLE_VERSIONS, type RecordHeader } from "./format.js";

export interface Chunk {
  /** Where its records start in the file. */
  at: number;
  payload: Uint8Array;
}

export interface RecordLog {
  /** The format's version, from the preamble: one of READABLE_VERSIONS. */
  version: number;
  header: RecordHeader;
  chunks: Chunk[];
  /** Where the log stops being whole, if it does: a chunk cut short, or stray bytes at its end. */
  torn?: { at: number; what: string };
  size: number;
}

export function readLog(source: string, bytes: Uint8Array, digests: Digests): RecordLog {
  const refuse = (what: string): never => {
    throw new TenderError(`${source}: ${what}`);
  };
  if (bytes.length < MAGIC.length || MAGIC.some((b, i) => bytes[i] !== b)) {
    refuse(`not a solo5-wasm record log (it does not start with "solo5rec"): make one with solo5-wasm run --record=FILE`);
  }
  if (bytes.length < PREAMBLE_BYTES) refuse(`cut short in its preamble (${bytes.length} bytes of ${PREAMBLE_BYTES}): nothing to replay`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(MAGIC.length, true);
  if (!READABLE_VERSIONS.includes(version)) refuse(`a record log of format version ${version}; this tender reads versions ${READABLE_VERSIONS.join(" and ")}: replay it with the tender that recorded it`);
  const headerLength = view.getUint32(MAGIC.length + 4, true);
  const headerEnd = PREAMBLE_BYTES + headerLength;
  if (headerEnd > bytes.length) refuse(`cut short in its header (${bytes.length - PREAMBLE_BYTES} bytes of ${headerLength}): nothing to replay`);
  const json = bytes.subarray(PREAMBLE_BYTES, headerEnd);
  if (digests.h32(json) !== view.getUint32(MAGIC.length + 8, true)) refuse(`corrupt at byte ${PREAMBLE_BYTES}: its header does not match its checksum`);
  let header: RecordHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(json)) as RecordHeader;
  } catch {
    return refuse(`corrupt at byte ${PREAMBLE_BYTES}: its header is not JSON`);
  }

  const chunks: Chunk[] = [];
  let at = headerEnd;
  while (at < bytes.length) {
    if (bytes.length - at < CHUNK_HEADER_BYTES) return { version, header, chunks, torn: { at, what: `${bytes.length - at} stray bytes where a chunk would start` }, size: bytes.length };
    const length = view.getUint32(at, true);
    const start = at + CHUNK_HEADER_BYTES;
    if (start + length > bytes.length) {
      return { version, header, chunks, torn: { at, what: `its last chunk is cut short (${bytes.length - start} bytes of ${length})` }, size: bytes.length };
    }
    const payload = bytes.subarray(start, start + length);
    if (length === 0 || digests.h32(payload) !== view.getUint32(at + 4, true)) {
      refuse(`corrupt at byte ${at}: the chunk there (${length} bytes) does not match its checksum`);
    }
    chunks.push({ at: start, payload });
    at = start + length;
  }
  return { version, header, chunks, size: bytes.length };
}
