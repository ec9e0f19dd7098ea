// Finds a whole message head at the front of a socket's receive buffer, in place, or
// copied into a scratch buffer when it wraps around the ring. The search resumes where
// the last one stopped, so a head arriving a byte at a time costs no rescans.
import { TcpSocket } from "../tcpip";
import { CR, LF } from "./ascii";
import { findHeadEnd, HEAD_MAX, headSearchResume } from "./head";

export class HeadReader {
  /** Bytes of the coming head already searched for its end. */
  private searched: u32 = 0;
  /** Where the head's bytes are once find() found it (valid until the socket is read or written). */
  ptr: usize = 0;

  /** `scratch`: HEAD_MAX bytes, used only within find() and the parse right after it. */
  constructor(private readonly scratch: usize) {}

  reset(): void {
    this.searched = 0;
  }

  /** The length of the head at the front of the receive buffer (empty lines before it
   * dropped, RFC 9112 2.2); 0 when it has not all come; -1 when HEAD_MAX bytes came
   * without its end. */
  find(socket: TcpSocket): i32 {
    for (;;) {
      const available = socket.recvAvailable;
      if (available == 0) return 0;
      const limit = min(available, HEAD_MAX);
      let p = socket.recvPtr;
      if (socket.recvContiguous < limit) {
        p = this.scratch;
        socket.peek(0, p, limit);
      }
      let blank: u32 = 0;
      while (blank < limit && (<u32>load<u8>(p + blank) == CR || <u32>load<u8>(p + blank) == LF)) blank++;
      if (blank > 0) {
        socket.consume(blank);
        this.searched = 0;
        continue;
      }
      const end = findHeadEnd(p, limit, this.searched);
      if (end == 0) {
        this.searched = headSearchResume(limit);
        return available >= HEAD_MAX ? -1 : 0;
      }
      this.searched = 0;
      this.ptr = p;
      return <i32>end;
    }
  }
}
