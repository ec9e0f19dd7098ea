// The kernel-stack baseline of the TCP benchmark: Node's own http server serving
// http-serve's two benchmarked routes, run in a namespace reached through a veth
// pair, so that every byte crosses Linux's TCP/IP stack:
//
//   GET /         200 text/html, index.html beside this file (612 bytes)
//   GET /bytes/N  200 application/octet-stream, N bytes, byte i being i % 251
//   anything else 404
//
//   node bench/tcp/node-server.mjs ADDRESS PORT     (prints "ready" once listening)
import fs from "node:fs";
import http from "node:http";

const PATTERN = 251;
const page = fs.readFileSync(new URL("./index.html", import.meta.url));
/** Whole periods of the body pattern, about 1 MB: any run of the body is a slice of it. */
const chunk = Buffer.from(Array.from({ length: PATTERN * 4096 }, (_, i) => i % PATTERN));

/** Writes `length` bytes of the pattern to `res`, as fast as the socket drains. */
function sendBytes(res, length) {
  let left = length;
  const more = () => {
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      left -= n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once("drain", more);
    }
    res.end();
  };
  more();
}

const server = http.createServer((req, res) => {
  res.sendDate = false; // as the other servers: no header beyond type and length
  const bytes = /^\/bytes\/(\d+)$/.exec(req.url);
  if (req.method === "GET" && req.url === "/") {
    res.writeHead(200, { "Content-Type": "text/html", "Content-Length": page.length }).end(page);
  } else if (req.method === "GET" && bytes) {
    res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": bytes[1] });
    sendBytes(res, Number(bytes[1]));
  } else {
    res.writeHead(404, { "Content-Type": "text/plain", "Content-Length": 0 }).end();
  }
});
server.keepAliveTimeout = 60000; // wrk's connections live for a whole round
const [address, port] = process.argv.slice(2);
server.listen(Number(port), address, () => console.log("ready"));
