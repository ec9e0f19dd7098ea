// HTTP/1.1 on the libOS TCP stack (docs/http.md): import from "solo5-wasm/assembly/http".
export { Method, MessageHead, HEAD_MAX, findHeadEnd } from "./head";
export { ChunkedDecoder } from "./chunked";
export { reasonPhrase } from "./status";
export { parseDecimal } from "./ascii";
export { Sha256, SHA256_DIGEST_LEN, SHA256_HEX_LEN } from "./sha256";
