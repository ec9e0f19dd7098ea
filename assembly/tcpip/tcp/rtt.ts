// The retransmission timeout (RFC 6298): a smoothed round-trip time and its variation
// from samples, Karn's rule (the caller times only segments sent once) and exponential
// backoff. Times are nanoseconds.
import { NSEC_PER_MSEC, NSEC_PER_SEC } from "../../time";

/** RFC 6298's initial RTO. */
const INITIAL_RTO: u64 = NSEC_PER_SEC;
/** The clock granularity G. */
const GRANULARITY: u64 = NSEC_PER_MSEC;

export class RttEstimator {
  srtt: u64 = 0;
  rttvar: u64 = 0;
  /** Without backoff. */
  private base: u64 = INITIAL_RTO;
  /** Timeouts in a row since the last sample or new ACK. */
  backoff: u32 = 0;

  constructor(readonly minRto: u64, readonly maxRto: u64) {}

  /** A round trip of `r` ns, measured on a segment that was not retransmitted. */
  sample(r: u64): void {
    if (this.srtt == 0) {
      this.srtt = max(r, 1);
      this.rttvar = r >> 1;
    } else {
      const diff = this.srtt > r ? this.srtt - r : r - this.srtt;
      this.rttvar = (3 * this.rttvar + diff) >> 2;
      this.srtt = max((7 * this.srtt + r) >> 3, 1);
    }
    this.base = this.srtt + max(GRANULARITY, 4 * this.rttvar);
    this.backoff = 0;
  }

  /** The timeout to arm now. */
  get rto(): u64 {
    const t = min(max(this.base, this.minRto), this.maxRto);
    return this.backoff >= 16 ? this.maxRto : min(t << this.backoff, this.maxRto);
  }

  /** After a timeout: doubles the next one (RFC 6298 5.5). */
  timedOut(): void {
    if (this.backoff < 16) this.backoff++;
  }
}
