// Congestion control (RFC 5681) with NewReno's fast recovery (RFC 6582) for peers
// without SACK: slow start and congestion avoidance counted in bytes acknowledged (RFC
// 3465, L = 2 segments), the initial window of RFC 6928, and the restart window after an
// idle period (RFC 5681 4.1). With SACK, loss recovery is the scoreboard's (RFC 6675)
// and only enter/exit come from here.

export class Congestion {
  cwnd: u32 = 0;
  ssthresh: u32 = u32.MAX_VALUE;
  /** Bytes acknowledged in congestion avoidance since cwnd last grew. */
  private acked: u32 = 0;
  mss: u32 = 536;

  reset(mss: u32): void {
    this.mss = mss;
    this.cwnd = initialWindow(mss);
    this.ssthresh = u32.MAX_VALUE;
    this.acked = 0;
  }

  /** New data acknowledged outside recovery. */
  onAck(bytes: u32): void {
    if (this.cwnd < this.ssthresh) {
      this.cwnd += min(bytes, 2 * this.mss);
    } else {
      this.acked += bytes;
      if (this.acked >= this.cwnd) {
        this.acked -= this.cwnd;
        this.cwnd += this.mss;
      }
    }
  }

  /** Loss detected with `flight` bytes outstanding: halve (RFC 5681 (4)). */
  enterRecovery(flight: u32): void {
    this.ssthresh = max(flight >> 1, 2 * this.mss);
    this.acked = 0;
  }

  /** A retransmission timeout: one segment, and slow start up to half the flight. */
  onTimeout(flight: u32): void {
    this.ssthresh = max(flight >> 1, 2 * this.mss);
    this.cwnd = this.mss;
    this.acked = 0;
  }

  /** Nothing sent for longer than the RTO: start again from the initial window. */
  restartAfterIdle(): void {
    this.cwnd = min(this.cwnd, initialWindow(this.mss));
  }
}

/** RFC 6928: min(10 * MSS, max(2 * MSS, 14600)). */
function initialWindow(mss: u32): u32 {
  return min(10 * mss, max(2 * mss, 14600));
}
