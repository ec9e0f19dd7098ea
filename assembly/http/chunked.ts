// The chunked transfer coding (RFC 9112 7.1), decoded as bytes come: advance() takes
// the framing (sizes, extensions, line ends, trailers) and stops where chunk data
// begins; the caller takes up to dataLeft bytes of data in place and calls tookData().
// Every line is bounded, so a peer cannot make the decoder hold or scan without end.
import { CR, hexValue, HT, isFieldValueByte, LF, SP, storeHex } from "./ascii";

/** The longest chunk-size line (with extensions) and the most trailer bytes taken. */
const LINE_MAX: u32 = 4096;
const TRAILERS_MAX: u32 = 8192;

enum State { Size, Extension, SizeLf, Data, DataCr, DataLf, TrailerStart, Trailer, TrailerLf, EndLf, Done, Failed }

/** The chunked transfer coding (RFC 9112 section 7.1) decoded as bytes come: advance() takes the framing and stops where chunk data begins; the caller takes up to dataLeft bytes in place and calls tookData(). Every line is bounded. */
export class ChunkedDecoder {
  private state: State = State.Size;
  private size: u64 = 0;
  private digits: u32 = 0;
  private lineBytes: u32 = 0;
  private trailerBytes: u32 = 0;
  /** Data bytes of the current chunk still to come (while inData). */
  dataLeft: u64 = 0;

  /** Back to the start, for the next body. */
  reset(): void {
    this.state = State.Size;
    this.size = this.dataLeft = 0;
    this.digits = this.lineBytes = this.trailerBytes = 0;
  }

  /** The next bytes are chunk data (dataLeft of them). */
  get inData(): bool {
    return this.state == State.Data;
  }

  /** The last chunk and the trailers have been read: the body is complete. */
  get done(): bool {
    return this.state == State.Done;
  }

  /** The coding is broken: the body cannot be read. */
  get failed(): bool {
    return this.state == State.Failed;
  }

  /** The caller took n (<= dataLeft) data bytes. */
  tookData(n: u32): void {
    this.dataLeft -= n;
    if (this.dataLeft == 0) this.state = State.DataCr;
  }

  /** Reads framing from the n bytes at p, up to chunk data, the end or an error: how many it took. */
  advance(p: usize, n: u32): u32 {
    let i: u32 = 0;
    while (i < n) {
      const state = this.state;
      if (state == State.Data || state == State.Done || state == State.Failed) break;
      const c = <u32>load<u8>(p + i);
      i++;
      if (state == State.Size) {
        if (++this.lineBytes > LINE_MAX) return this.fail(i);
        const d = hexValue(c);
        if (d >= 0) {
          // 15 hex digits (2^60) is more than any body; more is an attack or garbage.
          if (++this.digits > 15) return this.fail(i);
          this.size = (this.size << 4) | <u64>d;
        } else if (this.digits == 0) {
          return this.fail(i);
        } else if (c == CR) {
          this.state = State.SizeLf;
        } else if (c == LF) {
          this.endSizeLine();
        } else if (c == 0x3b || c == SP || c == HT) {
          this.state = State.Extension; // chunk-ext (and BWS before it): skipped
        } else {
          return this.fail(i);
        }
      } else if (state == State.Extension) {
        if (c == CR) this.state = State.SizeLf;
        else if (c == LF) this.endSizeLine();
        else if (!isFieldValueByte(c) || ++this.lineBytes > LINE_MAX) return this.fail(i);
      } else if (state == State.SizeLf) {
        if (c != LF) return this.fail(i);
        this.endSizeLine();
      } else if (state == State.DataCr) {
        if (c == CR) this.state = State.DataLf;
        else if (c == LF) this.state = State.Size;
        else return this.fail(i);
      } else if (state == State.DataLf) {
        if (c != LF) return this.fail(i);
        this.state = State.Size;
      } else if (state == State.TrailerStart) {
        if (c == CR) this.state = State.EndLf;
        else if (c == LF) this.state = State.Done;
        else if (!isFieldValueByte(c)) return this.fail(i);
        else this.state = State.Trailer;
        if (++this.trailerBytes > TRAILERS_MAX) return this.fail(i);
      } else if (state == State.Trailer) {
        if (c == CR) this.state = State.TrailerLf;
        else if (c == LF) this.state = State.TrailerStart;
        else if (!isFieldValueByte(c)) return this.fail(i);
        if (++this.trailerBytes > TRAILERS_MAX) return this.fail(i);
      } else if (state == State.TrailerLf) {
        if (c != LF) return this.fail(i);
        this.state = State.TrailerStart;
      } else if (state == State.EndLf) {
        if (c != LF) return this.fail(i);
        this.state = State.Done;
      }
    }
    return i;
  }

  /** A chunk-size line ended: data follows, or (size 0) the trailers. */
  private endSizeLine(): void {
    this.dataLeft = this.size;
    this.state = this.size == 0 ? State.TrailerStart : State.Data;
    this.size = 0;
    this.digits = 0;
    this.lineBytes = 0;
  }

  private fail(taken: u32): u32 {
    this.state = State.Failed;
    return taken;
  }
}

/** The framing before a chunk of n bytes ("HEX CRLF"), written at p: its length (at most CHUNK_PREFIX_MAX). */
export function storeChunkPrefix(p: usize, n: u32): u32 {
  const digits = storeHex(p, n);
  store<u16>(p + digits, 0x0a0d);
  return digits + 2;
}

export const CHUNK_PREFIX_MAX: u32 = 10;
/** The CRLF after a chunk's data. */
export const CHUNK_SUFFIX_LEN: u32 = 2;
export const LAST_CHUNK = "0\r\n\r\n";
