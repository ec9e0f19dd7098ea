// One incoming TCP segment, as the layer found it (checked, options parsed): the fields
// the state machine reads. One instance is reused for every segment.
import { TcpOptions } from "../wire/tcp";

export class Segment {
  srcIp: u32 = 0;
  srcPort: u32 = 0;
  dstPort: u32 = 0;
  seq: u32 = 0;
  ack: u32 = 0;
  flags: u32 = 0;
  /** The window field as sent (scale it by the peer's shift). */
  window: u32 = 0;
  /** The payload: its address and length. */
  data: usize = 0;
  length: u32 = 0;
  readonly options: TcpOptions = new TcpOptions();

  /** Sequence space the segment occupies: data, plus one each for SYN and FIN. */
  get seqLength(): u32 {
    return this.length + ((this.flags & 0x02) != 0 ? 1 : 0) + ((this.flags & 0x01) != 0 ? 1 : 0);
  }
}
