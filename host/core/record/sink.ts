// Where a recorded run's log goes, as the host's platform provides it (Node: the
// file --record names; a page: chunks kept for a Blob).
import type { Digests } from "./digest.js";

export interface RecordSink {
  /** Takes each chunk before it returns (the view is reused after). */
  write(chunk: Uint8Array): void;
  digests: Digests;
}
