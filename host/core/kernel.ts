// Loading a kernel: compile the module and check its shape against ABI v1 section 1
// before any guest code can run. The result is plain data plus a WebAssembly.Module,
// so it can be posted to the worker that runs the guest, and compiled once for many runs.
import {
  EXPORT_HEAP_BASE,
  EXPORT_INITIALIZE,
  EXPORT_MAIN,
  HYPERCALL_MODULE,
  HYPERCALLS,
  INITIALIZE_SIGNATURE,
  MAIN_SIGNATURE,
  MANIFEST_SECTION,
  MEM_MIB_MAX,
  MEM_MIB_MIN,
  MIB,
  WASM_PAGE,
  hypercallSince,
  type HypercallName,
  type Signature,
} from "./abi.js";
import { excerpt, printable, TenderError } from "./errors.js";
import { EMPTY_MANIFEST, parseManifest, type Manifest } from "./manifest.js";
import { MEM_OPTION, OptionRefusal, type OptionWords } from "./options.js";
import { shareMemoryImport } from "./shared-memory.js";
import { readModuleShape, type ExternKind, type FuncType, type ModuleShape } from "./wasm-reader.js";

export interface Kernel {
  module: WebAssembly.Module;
  manifest: Manifest;
  /** First byte after the guest's static image. */
  heapBase: number;
  /** env.memory limits, in wasm pages. */
  memoryMin: number;
  memoryMax: number | undefined;
  hasInitialize: boolean;
  /** The hypercalls the guest imports. */
  hypercalls: HypercallName[];
  /** `module` imports env.memory as shared: give it a shared memory (shared-memory.ts). */
  sharedMemory: boolean;
}

export interface LoadOptions {
  /** Compile for a shared env.memory, so boot time does not grow with --mem (shared-memory.ts). */
  sharedMemory?: boolean;
}

/** A function type as the ABI's signatures: its value types may be any, not only i32 and i64. */
type AnySignature = Signature | FuncType;

const showSignature = (s: AnySignature): string => `(${s.params.join(" ")}) -> (${s.results.join(" ")})`;
const sameSignature = (a: AnySignature, b: AnySignature): boolean => showSignature(a) === showSignature(b);
/** An import's kind as refusals have always named it. */
const importKind = (kind: ExternKind): string => (kind === "Global" ? "GlobalType" : kind);

const refuse = (what: string): never => {
  throw new TenderError(what);
};

/** AssemblyScript's own imports, which a plain asc build leaves and solo5-wasm build routes (libos/abort.ts, libos/seed.ts). */
const ASC_IMPORTS = new Set(["abort", "seed", "trace"]);

/** What to do about an import the ABI does not have, by what usually put it there. */
function unprovidedImport(from: string, name: string): string {
  if (from === "env" && ASC_IMPORTS.has(name)) {
    return `a plain asc build imports env.${name}; build with solo5-wasm build ENTRY.ts -o KERNEL.wasm, which routes it to the console and the clocks`;
  }
  if (/^wasi[_:]/.test(from)) {
    return "WASI is not this platform: a Solo5 guest imports only env.memory and solo5.* hypercalls (docs/abi.md); build for wasm32 without WASI (asc through solo5-wasm build, clang --target=wasm32 -nostdlib)";
  }
  return "ABI v1 imports only env.memory and solo5.* hypercalls (docs/abi.md)";
}

/** Compiles and checks a kernel; every refusal names the offending import or export. */
export async function loadKernel(bytes: Uint8Array, options: LoadOptions = {}): Promise<Kernel> {
  let module: WebAssembly.Module;
  try {
    module = await compile(bytes, options.sharedMemory ?? false);
  } catch (e) {
    return refuse(`not a valid WebAssembly module: ${printable((e as Error).message.replace(/^WebAssembly\.\w+\(\): /, ""))}`);
  }
  return inspect(module, bytes, options.sharedMemory ?? false);
}

/** loadKernel, with refusals prefixed by where the bytes came from (a path, a URL). */
export async function loadKernelFrom(source: string, bytes: Uint8Array, options: LoadOptions = {}): Promise<Kernel> {
  try {
    return await loadKernel(bytes, options);
  } catch (e) {
    if (e instanceof TenderError) e.message = `${source}: ${e.message}`;
    throw e;
  }
}

async function compile(bytes: Uint8Array, sharedMemory: boolean): Promise<WebAssembly.Module> {
  if (sharedMemory) {
    try {
      return await WebAssembly.compile(shareMemoryImport(bytes) as Uint8Array<ArrayBuffer>);
    } catch {
      // Not a module: compiling the guest's own bytes says what is wrong with them.
    }
  }
  return WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
}

function inspect(module: WebAssembly.Module, bytes: Uint8Array, sharedMemory: boolean): Kernel {
  let shape: ModuleShape;
  try {
    shape = readModuleShape(bytes);
  } catch (e) {
    // V8 compiled it, so it is valid wasm in an encoding the reader of imports,
    // exports and globals does not know (a proposal newer than wasm-reader.ts).
    return refuse(`the module uses a WebAssembly feature this tender cannot inspect (${(e as Error).message}): build it without that feature`);
  }
  const hypercalls: HypercallName[] = [];
  let memory: { min: number; max: number | undefined } | undefined;

  for (const { module: from, name, desc } of shape.imports) {
    const where = `${excerpt(from)}.${excerpt(name)}`;
    if (from === "env" && name === "memory" && desc.kind === "Memory") {
      if (desc.limits.shared) refuse("guest imports env.memory as shared memory: ABI v1 memory is not shared (build without threads)");
      if (desc.limits.memory64) refuse("guest imports env.memory as a 64-bit memory: ABI v1 memory is wasm32 (build for wasm32, not wasm64)");
      memory = { min: desc.limits.min, max: desc.limits.max };
      continue;
    }
    // An own property: an import named toString or __proto__ is no hypercall.
    const expected = from === HYPERCALL_MODULE && Object.hasOwn(HYPERCALLS, name) ? HYPERCALLS[name as HypercallName] : undefined;
    if (expected === undefined) refuse(`guest imports ${where}, which this tender does not provide: ${unprovidedImport(from, name)}`);
    const abi = `ABI v${hypercallSince(name as HypercallName)}`;
    if (desc.kind !== "Func") return refuse(`guest imports ${where} as a ${importKind(desc.kind)}, ${abi} makes it a function ${showSignature(expected!)}`);
    if (!sameSignature(desc.type, expected!)) refuse(`guest imports ${where} with type ${showSignature(desc.type)}, ${abi} gives it ${showSignature(expected!)}`);
    hypercalls.push(name as HypercallName);
  }
  if (shape.memories > 0) {
    refuse("guest defines its own memory: ABI v1 memory is imported as env.memory (asc --importMemory, clang -Wl,--import-memory)");
  }
  if (shape.hasStart) {
    refuse("guest has a wasm start function, which would run guest code at instantiation: export it as _initialize instead (asc --exportStart _initialize)");
  }
  if (!memory) refuse("guest does not import env.memory: build with asc --importMemory or clang -Wl,--import-memory");

  const exports = new Map<string, { kind: ExternKind; index: number }>();
  for (const e of shape.exports) exports.set(e.name, e);

  const exportedFunc = (name: string, signature: Signature, required: boolean): boolean => {
    const e = exports.get(name);
    if (!e) return required ? refuse(`guest does not export ${name}, a function ${showSignature(signature)}`) : false;
    const got = e.kind === "Func" ? shape.funcs[e.index] : undefined;
    if (!got || !sameSignature(got, signature)) {
      refuse(`guest exports ${name} as ${got ? showSignature(got) : `a ${e.kind}`}, ABI v1 needs a function ${showSignature(signature)}`);
    }
    return true;
  };
  exportedFunc(EXPORT_MAIN, MAIN_SIGNATURE, true);
  const hasInitialize = exportedFunc(EXPORT_INITIALIZE, INITIALIZE_SIGNATURE, false);

  const hb = exports.get(EXPORT_HEAP_BASE);
  const hbGlobal = hb?.kind === "Global" ? shape.globals[hb.index] : undefined;
  if (!hb) refuse("guest does not export __heap_base (an immutable i32 global): build with the solo5-wasm asc transform, or clang -Wl,--export=__heap_base");
  if (!hbGlobal) refuse(`guest exports __heap_base as a ${hb!.kind}, ABI v1 needs an immutable i32 global`);
  if (hbGlobal!.mutable) refuse("guest exports __heap_base as a mutable global, ABI v1 needs it immutable");
  if (hbGlobal!.i32 === undefined) refuse("guest's __heap_base is not an i32 constant");

  const sections = WebAssembly.Module.customSections(module, MANIFEST_SECTION);
  if (sections.length > 1) refuse(`guest has ${sections.length} ${MANIFEST_SECTION} sections, at most one is allowed`);
  const manifest = sections.length ? parseManifest(new Uint8Array(sections[0]!)) : EMPTY_MANIFEST;

  const kernel: Kernel = {
    module,
    manifest,
    heapBase: hbGlobal!.i32! >>> 0,
    memoryMin: memory!.min,
    memoryMax: memory!.max,
    hasInitialize,
    hypercalls,
    sharedMemory,
  };
  sources.set(kernel, bytes);
  return kernel;
}

/**
 * Each loaded kernel's bytes, for the hash a record log names its kernel by. Kept
 * beside the Kernel rather than in it: a Kernel is posted to every guest's thread,
 * and the bytes would be copied with it.
 */
const sources = new WeakMap<Kernel, Uint8Array>();

/** The bytes `kernel` was loaded from (undefined for a Kernel that came from another thread). */
export const kernelBytes = (kernel: Kernel): Uint8Array | undefined => sources.get(kernel);

/** The checks that depend on the memory size (ABI section 1): done before instantiating. */
export function checkKernelFits(kernel: Kernel, memBytes: number): void {
  const pages = memBytes / WASM_PAGE;
  const mib = memBytes / MIB;
  // Each refusal says what would mend it, and the memory can only be 1 to 4095 MiB.
  const minMib = Math.ceil((kernel.memoryMin * WASM_PAGE) / MIB);
  const maxMib = kernel.memoryMax === undefined ? MEM_MIB_MAX : Math.floor((kernel.memoryMax * WASM_PAGE) / MIB);
  const heapBaseMib = Math.ceil(kernel.heapBase / MIB);
  const refuseMem = (say: (w: OptionWords, mem: (mib: number) => string) => string): never => {
    throw new OptionRefusal(MEM_OPTION, (w) => say(w, (n) => w.set(MEM_OPTION, n)));
  };
  // A minimum and a maximum that leave no whole MiB between them: another size cannot mend it.
  const noMemBetween = (w: OptionWords) => `no ${w.name(MEM_OPTION)} fits both its minimum and its maximum, so build without a maximum memory`;
  if (kernel.memoryMin > pages) {
    refuseMem(
      (w, mem) =>
        `guest's env.memory needs at least ${kernel.memoryMin} pages (${minMib} MiB), more than ${mem(mib)}: ` +
        (minMib > MEM_MIB_MAX ? `ABI v1 allows at most ${MEM_MIB_MAX} MiB, so build the guest with a smaller initial memory`
        : minMib > maxMib ? noMemBetween(w)
        : `use ${mem(minMib)} or more`),
    );
  }
  if (kernel.memoryMax !== undefined && kernel.memoryMax < pages) {
    const max = kernel.memoryMax;
    refuseMem(
      (w, mem) =>
        `guest's env.memory is limited to ${max} pages (${(max * WASM_PAGE) / MIB} MiB), below ${mem(mib)}: ` +
        (maxMib < MEM_MIB_MIN ? `build without a maximum memory (${w.name(MEM_OPTION)} is at least ${MEM_MIB_MIN} MiB)`
        : maxMib < minMib ? noMemBetween(w)
        : `use ${mem(maxMib)} or less, or build without a maximum memory`),
    );
  }
  if (kernel.heapBase > memBytes) {
    refuseMem(
      (w, mem) =>
        `guest's __heap_base (0x${kernel.heapBase.toString(16)}) lies beyond ${mem(mib)} (0x${memBytes.toString(16)} bytes): ` +
        (heapBaseMib <= MEM_MIB_MAX ? `use ${mem(heapBaseMib)} or more` : `no ${w.name(MEM_OPTION)} reaches it, so the guest's build is wrong (static data past ${MEM_MIB_MAX} MiB)`),
    );
  }
}

/**
 * Refuses a kernel that no memory size can run (what build checks, as run would
 * refuse it whatever the size): checkKernelFits at the least size its memory minimum
 * and __heap_base allow.
 */
export function checkKernelRuns(kernel: Kernel): void {
  const least = Math.max(MEM_MIB_MIN, Math.ceil((kernel.memoryMin * WASM_PAGE) / MIB), Math.ceil(kernel.heapBase / MIB));
  checkKernelFits(kernel, Math.min(least, MEM_MIB_MAX) * MIB);
}
