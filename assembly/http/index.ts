// HTTP/1.1 on the libOS TCP stack (docs/http.md): import from "solo5-wasm/assembly/http".
export { HttpServer, HttpServerConfig } from "./server";
export { HttpServerStats } from "./stats";
export { HttpHandler } from "./handler";
export { HttpRequest } from "./request";
export { HttpResponse, RESPONSE_HEAD_MAX } from "./response";
export { Method, MessageHead, HEAD_MAX, findHeadEnd } from "./head";
export { ChunkedDecoder } from "./chunked";
export { reasonPhrase } from "./status";
export { parseDecimal } from "./ascii";
export { Sha256, SHA256_DIGEST_LEN, SHA256_HEX_LEN } from "./sha256";
export { HttpClient, HttpClientHandler, HttpClientResponse, HttpClientError } from "./client";
export { HttpMessage } from "./message";
