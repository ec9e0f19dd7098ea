/// <reference path="./editor.d.ts" />
// The AssemblyScript API of solo5-wasm: import from here. The raw Solo5 interface is
// in ./solo5 (the equivalent of solo5.h); these modules are typed helpers over it.
// The network stack is "solo5-wasm/assembly/tcpip" (its headers alone:
// "solo5-wasm/assembly/tcpip/wire"), HTTP "solo5-wasm/assembly/http".
export * from "./solo5";
export { puts, println, writeBytes } from "./console";
export { monotonic, wallClock, sleep, NSEC_PER_MSEC, NSEC_PER_SEC } from "./time";
export { cmdline, info, exit, abort } from "./app";
export { Net, NET_HLEN, waitFor } from "./net";
export { Block } from "./block";
export { fillRandom, randomBytes, randomU32, randomU64 } from "./entropy";
export { malloc, free, realloc, calloc, aligned_alloc, heap_in_use, heap_peak, heap_free, heap_size } from "./heap";
