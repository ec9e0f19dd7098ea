// solo5-wasm manifest: prints a kernel's solo5.manifest (as solo5-elftool query-manifest).
import { TenderError } from "../../core/errors.js";
import { formatManifest } from "../../core/manifest.js";
import { loadKernelFile } from "../kernels.js";

export async function manifestCommand([path, ...rest]: string[]): Promise<number> {
  if (path === undefined || rest.length > 0) throw new TenderError("usage: solo5-wasm manifest KERNEL.wasm");
  process.stdout.write(`${formatManifest((await loadKernelFile(path)).manifest)}\n`);
  return 0;
}
