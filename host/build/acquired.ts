// The devices a guest's own sources acquire by a literal name (Net.acquire("service0"),
// Block.acquire("storage")), for the build's warning when manifest.json lacks one: the
// guest would otherwise build, run and find acquire() null.
import type { DeviceType } from "../core/abi.js";
import type { Manifest } from "../core/manifest.js";

/** The line start of a warning the transform writes, which compileGuest picks out of asc's output. */
export const WARNING = "solo5-wasm: warning: ";

const ACQUIRE = /\b(Net|Block)\.acquire\(\s*"([^"\\]+)"/g;
const TYPES: Record<string, DeviceType> = { Net: "NET_BASIC", Block: "BLOCK_BASIC" };

/** Comments taken out (a commented-out acquire acquires nothing); strings kept. */
const withoutComments = (text: string): string => text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, "");

/** Each device acquired in `texts`, once, in order of first appearance. */
export function acquiredDevices(texts: readonly string[]): { name: string; type: DeviceType }[] {
  const found = new Map<string, DeviceType>();
  for (const text of texts) {
    for (const [, api, name] of withoutComments(text).matchAll(ACQUIRE)) if (!found.has(name!)) found.set(name!, TYPES[api!]!);
  }
  return [...found].map(([name, type]) => ({ name, type }));
}

/**
 * One warning per acquired device `manifest` does not declare (undefined: there is no
 * manifest.json), saying where the declaration goes.
 */
export function undeclaredWarnings(entry: string, manifestFile: string, manifest: Manifest | undefined, texts: readonly string[]): string[] {
  const missing = acquiredDevices(texts).filter((d) => !manifest?.devices.some((m) => m.name === d.name && m.type === d.type));
  if (missing.length === 0) return [];
  const entries = missing.map((d) => `{ "name": "${d.name}", "type": "${d.type}" }`);
  if (manifest === undefined) {
    const json = `{ "type": "solo5.manifest", "version": 1, "devices": [ ${entries.join(", ")} ] }`;
    return [`${entry} acquires ${missing.map((d) => `${d.type} device ${d.name}`).join(" and ")}, but there is no ${manifestFile} beside it: create it with ${json}`];
  }
  return missing.map((d, i) => `${entry} acquires ${d.type} device ${d.name}, which ${manifestFile} does not declare: add ${entries[i]} to its devices`);
}
