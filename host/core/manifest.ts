// The solo5.manifest custom section: Solo5's manifest.json, checked as untrusted
// input. A device's handle is its index in `devices` plus one.
import {
  DEVICE_NAME_MAX,
  DEVICE_TYPES,
  MANIFEST_TYPE,
  MANIFEST_VERSION,
  MAX_DEVICES,
  type DeviceType,
} from "./abi.js";
import { excerpt, printable, TenderError } from "./errors.js";

export interface ManifestDevice {
  name: string;
  type: DeviceType;
}

export interface Manifest {
  type: typeof MANIFEST_TYPE;
  version: typeof MANIFEST_VERSION;
  devices: ManifestDevice[];
}

/** A module without the section has no devices. */
export const EMPTY_MANIFEST: Manifest = { type: MANIFEST_TYPE, version: MANIFEST_VERSION, devices: [] };

const NAME_PATTERN = /^[A-Za-z0-9]+$/;

const fail = (what: string): never => {
  throw new TenderError(`invalid manifest: ${what}`);
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function onlyKeys(where: string, obj: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) fail(`unknown key "${excerpt(key)}" in ${where} (allowed: ${allowed.join(", ")})`);
  }
  for (const key of allowed) {
    if (!(key in obj)) fail(`${where} has no "${key}"`);
  }
}

/** Parses and checks manifest JSON; every refusal names what is wrong. */
export function parseManifest(json: string | Uint8Array): Manifest {
  const text = typeof json === "string" ? json : decodeUtf8(json);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return fail(`not valid JSON (${printable((e as Error).message)})`);
  }
  if (!isObject(doc)) return fail("the top level must be a JSON object");
  onlyKeys("the manifest", doc, ["type", "version", "devices"]);
  if (doc.type !== MANIFEST_TYPE) fail(`"type" must be "${MANIFEST_TYPE}", not ${excerpt(String(JSON.stringify(doc.type)))}`);
  if (doc.version !== MANIFEST_VERSION) {
    fail(`"version" must be ${MANIFEST_VERSION}, not ${excerpt(String(JSON.stringify(doc.version)))}`);
  }
  if (!Array.isArray(doc.devices)) return fail(`"devices" must be an array`);
  if (doc.devices.length > MAX_DEVICES) {
    fail(`${doc.devices.length} devices declared, at most ${MAX_DEVICES} are allowed`);
  }
  const seen = new Set<string>();
  const devices = doc.devices.map((dev: unknown, i: number): ManifestDevice => {
    const where = `devices[${i}]`;
    if (!isObject(dev)) return fail(`${where} must be an object with "name" and "type"`);
    onlyKeys(where, dev, ["name", "type"]);
    const { name, type } = dev;
    if (typeof name !== "string" || name.length === 0) return fail(`${where} has an empty or non-string name`);
    if (new TextEncoder().encode(name).length > DEVICE_NAME_MAX) {
      fail(`device name "${excerpt(name)}" is longer than ${DEVICE_NAME_MAX} bytes`);
    }
    if (!NAME_PATTERN.test(name)) fail(`device name "${excerpt(name)}" may only contain A-Z, a-z and 0-9`);
    if (seen.has(name)) fail(`device name "${name}" is declared twice`);
    seen.add(name);
    if (!DEVICE_TYPES.includes(type as DeviceType)) {
      fail(`device "${name}" has unknown type ${excerpt(String(JSON.stringify(type)))} (known: ${DEVICE_TYPES.join(", ")})`);
    }
    return { name, type: type as DeviceType };
  });
  return { type: MANIFEST_TYPE, version: MANIFEST_VERSION, devices };
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return fail("the section is not valid UTF-8");
  }
}

/** The manifest in the canonical JSON form (what `solo5-wasm manifest` prints). */
export const formatManifest = (m: Manifest): string => JSON.stringify(m, null, 2);
