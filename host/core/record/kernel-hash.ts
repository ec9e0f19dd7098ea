// The kernel's SHA-256, by which a record log names the kernel it was recorded with:
// WebCrypto, which Node and pages both have, used only when recording or replaying.
import { TenderError } from "../errors.js";
import { kernelBytes, type Kernel } from "../kernel.js";

export async function kernelSha256(kernel: Kernel): Promise<string> {
  const bytes = kernelBytes(kernel);
  if (!bytes) throw new TenderError("cannot record or replay a kernel received from another thread: load it with loadKernel or loadKernelFile here");
  // WebCrypto takes no view of shared memory: such bytes are copied first.
  const plain = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
  const digest = await crypto.subtle.digest("SHA-256", plain);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
