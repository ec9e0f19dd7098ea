// The part of @webassemblyjs/wasm-parser's AST that the tender reads (it ships no types).
declare module "@webassemblyjs/wasm-parser" {
  export interface Signature {
    params: { valtype: string }[];
    results: string[];
  }
  export interface Limits {
    min: number;
    max?: number;
    shared?: boolean;
  }
  export interface NumberLiteral {
    value: number;
  }
  export type ImportDescr =
    | { type: "FuncImportDescr"; signature: Signature }
    | { type: "Memory"; limits: Limits }
    | { type: "GlobalType"; valtype: string; mutability: "const" | "var" }
    | { type: "Table" };
  export type Field =
    | { type: "ModuleImport"; module: string; name: string; descr: ImportDescr }
    | { type: "ModuleExport"; name: string; descr: { exportType: "Func" | "Global" | "Memory" | "Table"; id: NumberLiteral } }
    | { type: "Func"; signature: Signature }
    | {
        type: "Global";
        globalType: { valtype: string; mutability: "const" | "var" };
        init: { id: string; object?: string; args: NumberLiteral[] }[];
      }
    | { type: "Memory"; limits: Limits }
    | { type: "Start"; index: NumberLiteral }
    | { type: "TypeInstruction" | "Table" | "Elem" | "Data" };
  export interface Program {
    body: { fields: Field[] }[];
  }
  export function decode(
    buf: ArrayBuffer | Uint8Array,
    opts?: { ignoreCodeSection?: boolean; ignoreDataSection?: boolean; ignoreCustomNameSection?: boolean },
  ): Program;
}
