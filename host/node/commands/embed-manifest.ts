// solo5-wasm embed-manifest: writes a manifest into a kernel as its solo5.manifest
// section, for modules another toolchain built.
import fs from "node:fs";
import { MANIFEST_SECTION } from "../../core/abi.js";
import { TenderError } from "../../core/errors.js";
import { loadKernelFrom } from "../../core/kernel.js";
import { parseManifest } from "../../core/manifest.js";
import { replaceCustomSection } from "../../core/sections.js";
import { NODE_KERNELS, loadKernelFile } from "../kernels.js";

export async function embedCommand(argv: string[]): Promise<number> {
  const [manifestPath, kernelPath, flag, out, ...rest] = argv;
  if (!manifestPath || !kernelPath || rest.length > 0 || (flag !== undefined && (flag !== "-o" || !out))) {
    throw new TenderError("usage: solo5-wasm embed-manifest MANIFEST.json KERNEL.wasm [-o OUT.wasm]");
  }
  const read = (p: string) => {
    try {
      return fs.readFileSync(p);
    } catch (e) {
      throw new TenderError(`cannot read ${p}: ${(e as Error).message}`);
    }
  };
  let manifest;
  try {
    manifest = parseManifest(read(manifestPath));
  } catch (e) {
    throw new TenderError(`${manifestPath}: ${(e as Error).message}`);
  }
  const original = read(kernelPath);
  if (!WebAssembly.validate(original)) await loadKernelFile(kernelPath); // says what is wrong with it
  // What is written is checked as a kernel, with the new manifest in place: so this
  // also mends a kernel whose old manifest is invalid.
  const payload = new TextEncoder().encode(JSON.stringify(manifest));
  const target = out ?? kernelPath;
  const bytes = replaceCustomSection(original, MANIFEST_SECTION, payload);
  await loadKernelFrom(kernelPath, bytes, NODE_KERNELS);
  try {
    fs.writeFileSync(target, bytes);
  } catch (e) {
    throw (await import("../../build/compile.js")).writeFailure(target, e);
  }
  return 0;
}
