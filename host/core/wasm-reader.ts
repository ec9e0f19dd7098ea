// Reading the parts of a module that kernel.ts checks: its types, imports, function
// types, memories, globals, exports and start function. Code, data, element, table,
// tag and custom sections are skipped by their size, unread.
//
// Why not a library: @webassemblyjs/wasm-parser (used before) throws on a v128
// global, on a "producers" custom section it cannot parse, and stops reading exports
// at an exported exception tag (warning on stderr); `wasmparser` reads those, but has
// had no release since July 2024, drops memory64's flag from a memory type, and
// takes about 12 ms to import against about 2 ms for this file. The tender only reads
// a module after V8 has compiled it, so the bytes are known to be valid and this
// needs no checks of its own. It follows the core spec's binary format
// (webassembly.github.io/spec, "Binary Format") for the sections it reads, with the
// proposals V8 has shipped or has behind flags (SIMD, reference types, multi-value,
// exception handling, extended-const, typed function references and GC types,
// memory64). Anything it does not know throws a WasmReadError, which kernel.ts turns
// into a refusal.
import { readU32Leb } from "./sections.js";

/** The kinds of an import or export, as the refusals name them. */
export type ExternKind = "Func" | "Table" | "Memory" | "Global" | "Tag";
const EXTERN_KINDS: readonly ExternKind[] = ["Func", "Table", "Memory", "Global", "Tag"];

/** A function type, its value types in the text format's names (i32, v128, funcref, ...). */
export interface FuncType {
  params: string[];
  results: string[];
}

export interface MemoryLimits {
  min: number;
  max: number | undefined;
  shared: boolean;
  /** An i64-indexed memory (the memory64 proposal). */
  memory64: boolean;
}

export type ImportDesc =
  | { kind: "Func"; type: FuncType }
  | { kind: "Memory"; limits: MemoryLimits }
  | { kind: "Table" | "Global" | "Tag" };

export interface ModuleShape {
  imports: { module: string; name: string; desc: ImportDesc }[];
  /** The function index space (imported functions first): each one's type. */
  funcs: FuncType[];
  /**
   * The global index space (imported globals first). `i32` is the value of an i32
   * global whose initializer is constant (never known for an imported one).
   */
  globals: { type: string; mutable: boolean; i32: number | undefined }[];
  exports: { name: string; kind: ExternKind; index: number }[];
  /** How many memories the module defines itself. */
  memories: number;
  hasStart: boolean;
}

/** The module uses an encoding this reader does not know. */
export class WasmReadError extends Error {}

const SECTION = { type: 1, import: 2, function: 3, memory: 5, global: 6, export: 7, start: 8 } as const;

/** Value types of one byte: numbers and the reference type shorthands. */
const VALTYPES: Record<number, string> = {
  0x7f: "i32",
  0x7e: "i64",
  0x7d: "f32",
  0x7c: "f64",
  0x7b: "v128",
  0x70: "funcref",
  0x6f: "externref",
  0x6e: "anyref",
  0x6d: "eqref",
  0x6c: "i31ref",
  0x6b: "structref",
  0x6a: "arrayref",
  0x69: "exnref",
  0x71: "nullref",
  0x72: "nullexternref",
  0x73: "nullfuncref",
  0x74: "nullexnref",
};
/** Abstract heap types, as in (ref null func). */
const HEAPTYPES: Record<number, string> = {
  0x70: "func",
  0x6f: "extern",
  0x6e: "any",
  0x6d: "eq",
  0x6c: "i31",
  0x6b: "struct",
  0x6a: "array",
  0x69: "exn",
  0x71: "none",
  0x72: "noextern",
  0x73: "nofunc",
  0x74: "noexn",
};
const REF_NULL = 0x63; // (ref null ht)
const REF = 0x64; // (ref ht)
const PACKED = new Set([0x78, 0x77]); // i8, i16: struct and array fields only

/** Type section forms. */
const FUNC = 0x60;
const STRUCT = 0x5f;
const ARRAY = 0x5e;
const SUB = 0x50;
const SUB_FINAL = 0x4f;
const REC = 0x4e;

/** Limits flags: bit 0 a maximum follows, bit 1 shared, bit 2 64-bit indices. */
const LIMITS_HAS_MAX = 1;
const LIMITS_SHARED = 2;
const LIMITS_64 = 4;

/** Opcodes allowed in constant expressions (global initializers). */
const OP = {
  end: 0x0b,
  globalGet: 0x23,
  i32Const: 0x41,
  i64Const: 0x42,
  f32Const: 0x43,
  f64Const: 0x44,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i64Add: 0x7c,
  i64Sub: 0x7d,
  i64Mul: 0x7e,
  refNull: 0xd0,
  refFunc: 0xd2,
  gcPrefix: 0xfb,
  simdPrefix: 0xfd,
} as const;
const V128_CONST = 12; // after 0xfd
/** GC constant instructions after 0xfb, with how many u32 immediates each takes. */
const GC_CONST_IMMEDIATES: Record<number, number> = {
  0x00: 1, // struct.new t
  0x01: 1, // struct.new_default t
  0x06: 1, // array.new t
  0x07: 1, // array.new_default t
  0x08: 2, // array.new_fixed t n
  0x1a: 0, // any.convert_extern
  0x1b: 0, // extern.convert_any
  0x1c: 0, // ref.i31
};

const utf8 = new TextDecoder();

/** A cursor over one module's bytes. */
class Reader {
  constructor(
    private readonly bytes: Uint8Array,
    public at = 0,
  ) {}

  byte(): number {
    if (this.at >= this.bytes.length) throw new WasmReadError("unexpected end of the module");
    return this.bytes[this.at++]!;
  }

  u32(): number {
    const b = this.bytes[this.at]!;
    if (b < 0x80) {
      this.at++; // one byte, as most counts and indices are
      return b;
    }
    const [value, next] = readU32Leb(this.bytes, this.at);
    this.at = next;
    return value;
  }

  /** A signed LEB128 i32 (i32.const's immediate). */
  s32(): number {
    let value = 0;
    let shift = 0;
    let b: number;
    do {
      b = this.byte();
      value |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80 && shift < 35);
    return shift < 32 && b & 0x40 ? value | (-1 << shift) : value | 0;
  }

  /** Passes over a LEB128 number of any size (an i64 or a memory64 limit). */
  skipLeb(): void {
    while (this.byte() & 0x80);
  }

  skip(n: number): void {
    this.at += n;
  }

  name(): string {
    const len = this.u32();
    const text = utf8.decode(this.bytes.subarray(this.at, this.at + len));
    this.at += len;
    return text;
  }

  /** A value type (or, for struct and array fields, a packed storage type). */
  valtype(): string {
    const b = this.byte();
    if (b === REF_NULL || b === REF) {
      const heap = this.heaptype();
      return b === REF_NULL ? `(ref null ${heap})` : `(ref ${heap})`;
    }
    if (PACKED.has(b)) return b === 0x78 ? "i8" : "i16";
    const name = VALTYPES[b];
    if (name === undefined) throw new WasmReadError(`unknown value type 0x${b.toString(16)}`);
    return name;
  }

  /** A heap type: an abstract one (one byte, negative as an s33) or a type index. */
  heaptype(): string {
    const b = this.bytes[this.at];
    if (b !== undefined && (b & 0xc0) === 0x40) {
      this.at++;
      const name = HEAPTYPES[b];
      if (name === undefined) throw new WasmReadError(`unknown heap type 0x${b.toString(16)}`);
      return name;
    }
    return String(this.u32());
  }

  /** Limits of a memory or table: with memory64, the numbers are u64 (kept as numbers; V8 caps them). */
  limits(): MemoryLimits {
    const flags = this.byte();
    if (flags & ~(LIMITS_HAS_MAX | LIMITS_SHARED | LIMITS_64)) throw new WasmReadError(`unknown limits flags 0x${flags.toString(16)}`);
    const memory64 = (flags & LIMITS_64) !== 0;
    const number = () => (memory64 ? this.u64() : this.u32());
    const min = number();
    const max = flags & LIMITS_HAS_MAX ? number() : undefined;
    return { min, max, shared: (flags & LIMITS_SHARED) !== 0, memory64 };
  }

  /** An unsigned LEB128 up to 2^53 (memory64 limits). */
  private u64(): number {
    let value = 0;
    for (let scale = 1; ; scale *= 128) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if (!(b & 0x80)) return value;
    }
  }
}

/**
 * Reads a type section entry (a function type, a GC struct or array type, a subtype
 * or a recursion group of them) into `types`: one slot per type index, undefined for
 * the ones that are not function types.
 */
function readTypeEntry(r: Reader, types: (FuncType | undefined)[]): void {
  let form = r.byte();
  if (form === REC) {
    for (let n = r.u32(); n > 0; n--) readTypeEntry(r, types);
    return;
  }
  if (form === SUB || form === SUB_FINAL) {
    for (let n = r.u32(); n > 0; n--) r.u32(); // supertypes
    form = r.byte();
  }
  const vec = () => Array.from({ length: r.u32() }, () => r.valtype());
  const field = () => {
    r.valtype(); // its storage type, then its mutability
    r.byte();
  };
  if (form === FUNC) {
    const params = vec();
    types.push({ params, results: vec() });
  } else if (form === STRUCT) {
    for (let n = r.u32(); n > 0; n--) field();
    types.push(undefined);
  } else if (form === ARRAY) {
    field();
    types.push(undefined);
  } else {
    throw new WasmReadError(`unknown type form 0x${form.toString(16)}`);
  }
}

/**
 * Reads a constant expression up to its `end`. Returns its value when it computes an
 * i32 from i32.const, i32.add, i32.sub and i32.mul (extended-const) and global.get of
 * an immutable i32 global whose value is known; undefined for anything else.
 */
function readConstExpr(r: Reader, globals: ModuleShape["globals"]): number | undefined {
  const stack: (number | undefined)[] = [];
  let opaque = false; // a value of another type took part: the stack no longer tells
  const binary = (f: (a: number, b: number) => number) => {
    const b = stack.pop();
    const a = stack.pop();
    stack.push(a === undefined || b === undefined ? undefined : f(a, b) | 0);
  };
  for (;;) {
    const op = r.byte();
    if (op === OP.end) return !opaque && stack.length === 1 ? stack[0] : undefined;
    if (op === OP.i32Const) stack.push(r.s32());
    else if (op === OP.i32Add) binary((a, b) => a + b);
    else if (op === OP.i32Sub) binary((a, b) => a - b);
    else if (op === OP.i32Mul) binary(Math.imul);
    else if (op === OP.globalGet) {
      const g = globals[r.u32()];
      stack.push(g && !g.mutable ? g.i32 : undefined);
    } else {
      skipOtherConstInstruction(r, op);
      opaque = true;
    }
  }
}

/** Passes over a constant instruction that makes no i32, with its immediates. */
function skipOtherConstInstruction(r: Reader, op: number): void {
  switch (op) {
    case OP.i64Add:
    case OP.i64Sub:
    case OP.i64Mul:
      return;
    case OP.i64Const:
      return r.skipLeb();
    case OP.f32Const:
      return r.skip(4);
    case OP.f64Const:
      return r.skip(8);
    case OP.refNull:
      r.heaptype();
      return;
    case OP.refFunc:
      r.u32();
      return;
    case OP.simdPrefix: {
      const sub = r.u32();
      if (sub !== V128_CONST) throw new WasmReadError(`unknown constant instruction 0xfd ${sub}`);
      return r.skip(16);
    }
    case OP.gcPrefix: {
      const sub = r.u32();
      const immediates = GC_CONST_IMMEDIATES[sub];
      if (immediates === undefined) throw new WasmReadError(`unknown constant instruction 0xfb ${sub}`);
      for (let i = 0; i < immediates; i++) r.u32();
      return;
    }
    default:
      throw new WasmReadError(`unknown constant instruction 0x${op.toString(16)}`);
  }
}

/** Reads the module's shape. `bytes` must be a module V8 has compiled. */
export function readModuleShape(bytes: Uint8Array): ModuleShape {
  const shape: ModuleShape = { imports: [], funcs: [], globals: [], exports: [], memories: 0, hasStart: false };
  const types: (FuncType | undefined)[] = [];
  const r = new Reader(bytes, 8); // after the magic number and version
  const funcType = (index: number): FuncType => {
    const type = types[index];
    if (!type) throw new WasmReadError(`type ${index} of a function is no function type`);
    return type;
  };
  const importDesc = (kind: ExternKind): ImportDesc => {
    switch (kind) {
      case "Func": {
        const type = funcType(r.u32());
        shape.funcs.push(type);
        return { kind, type };
      }
      case "Memory":
        return { kind, limits: r.limits() };
      case "Global":
        shape.globals.push({ type: r.valtype(), mutable: r.byte() === 1, i32: undefined });
        return { kind };
      case "Table":
        r.valtype();
        r.limits();
        return { kind };
      case "Tag":
        r.byte(); // its attribute, then its type index
        r.u32();
        return { kind };
    }
  };
  const kind = (b: number): ExternKind => {
    const k = EXTERN_KINDS[b];
    if (k === undefined) throw new WasmReadError(`unknown import or export kind 0x${b.toString(16)}`);
    return k;
  };

  while (r.at < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const end = r.at + size;
    const count = () => r.u32();
    switch (id) {
      case SECTION.type:
        for (let n = count(); n > 0; n--) readTypeEntry(r, types);
        break;
      case SECTION.import:
        for (let n = count(); n > 0; n--) {
          const module = r.name();
          const name = r.name();
          const desc = importDesc(kind(r.byte()));
          shape.imports.push({ module, name, desc });
        }
        break;
      case SECTION.function:
        for (let n = count(); n > 0; n--) shape.funcs.push(funcType(r.u32()));
        break;
      case SECTION.memory:
        shape.memories += count();
        break;
      case SECTION.global:
        for (let n = count(); n > 0; n--) {
          const type = r.valtype();
          const mutable = r.byte() === 1;
          const value = readConstExpr(r, shape.globals);
          shape.globals.push({ type, mutable, i32: type === "i32" ? value : undefined });
        }
        break;
      case SECTION.export:
        for (let n = count(); n > 0; n--) {
          const name = r.name();
          shape.exports.push({ name, kind: kind(r.byte()), index: r.u32() });
        }
        break;
      case SECTION.start:
        shape.hasStart = true;
        break;
      default:
        break; // custom, table, element, code, data, data count, tag: not needed
    }
    r.at = end; // also passes over what a section read leaves (the memory section's limits)
  }
  return shape;
}
