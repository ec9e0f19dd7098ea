// A page's recording (docs/record.md): the guest's worker posts each chunk of the
// log as it is written; the page keeps them and hands the log over as a Blob, at any
// moment, for the page to save (a download, OPFS, an upload). A browser's log
// replays under the Node CLI like any other.
import type { ExitResult } from "../core/errors.js";
import type { Kernel } from "../core/kernel.js";
import { loadDigests, type Digests } from "../core/record/digest.js";
import type { RecordMeta } from "../core/record/format.js";
import { kernelSha256 } from "../core/record/kernel-hash.js";
import { endChunk } from "../core/record/recorder.js";
import { VERSION } from "../core/version.js";

export class PageRecording {
  private readonly chunks: Uint8Array<ArrayBuffer>[] = [];

  private constructor(
    readonly meta: RecordMeta,
    private readonly digests: Digests,
  ) {}

  static async of(kernel: Kernel): Promise<PageRecording> {
    const meta = { kernel: await kernelSha256(kernel), commandLine: location.href, tender: `solo5-wasm ${VERSION} (browser)` };
    return new PageRecording(meta, await loadDigests());
  }

  add(chunk: Uint8Array<ArrayBuffer>): void {
    this.chunks.push(chunk);
  }

  /** The ending of a guest stopped from outside, whose worker could not write its own. */
  stopped(result: ExitResult): void {
    this.chunks.push(endChunk(result, this.digests).slice());
  }

  /** The log so far. */
  blob(): Blob {
    return new Blob(this.chunks, { type: "application/octet-stream" });
  }
}
