// entropy(buf, size), ABI v1.1: cryptographically secure random bytes from the host,
// at most ENTROPY_MAX a call. A guest that does not import it never gets it.
import { ENTROPY_MAX, R_EINVAL, R_OK } from "../abi.js";
import type { GuestContext } from "../context.js";

export function entropyCalls({ mem, platform }: GuestContext) {
  return {
    entropy(buf: number, size: number): number {
      // The buffer first, as in every call: a bad one stops the guest whatever its size.
      const p = mem.check("entropy", buf, size);
      const n = size >>> 0;
      if (n > ENTROPY_MAX) return R_EINVAL;
      if (n !== 0) platform.randomFill(mem.bytes.subarray(p, p + n));
      return R_OK;
    },
  };
}
