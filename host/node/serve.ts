// solo5-wasm serve: a static file server for pages that run guests. It sends the two
// headers that make a page cross-origin isolated, which guests in a page need
// (browser/isolation.ts), and .wasm as application/wasm. Meant for development: it
// listens on 127.0.0.1 unless told otherwise, and never caches.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { ISOLATION_HEADERS } from "../browser/isolation.js";
import { TenderError } from "../core/errors.js";

export interface ServeOptions {
  /** The folder served as /. */
  root: string;
  /** 0 picks a free port (default 8080). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
};

/** Starts serving; resolves once it listens. `server.address()` tells the port. */
export function serve({ root, port = 8080, host = "127.0.0.1" }: ServeOptions): Promise<http.Server> {
  const base = path.resolve(root);
  const server = http.createServer((req, res) => {
    const headers = { ...ISOLATION_HEADERS, "Cache-Control": "no-store" };
    const fail = (status: number, text: string) => {
      res.writeHead(status, { ...headers, "Content-Type": "text/plain; charset=utf-8" });
      res.end(`${text}\n`);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return fail(405, "only GET and HEAD");
    const url = new URL(req.url ?? "/", "http://localhost");
    let file: string;
    try {
      file = path.join(base, decodeURIComponent(url.pathname));
    } catch {
      return fail(400, "bad path");
    }
    if (file !== base && !file.startsWith(base + path.sep)) return fail(403, "outside the served folder");
    fs.stat(file, (err, stat) => {
      if (!err && stat.isDirectory()) {
        // Relative links in an index page need the trailing slash.
        if (!url.pathname.endsWith("/")) {
          res.writeHead(301, { ...headers, Location: `${url.pathname}/${url.search}` });
          return res.end();
        }
        file = path.join(file, "index.html");
      }
      fs.readFile(file, (err, body) => {
        if (err) return fail(404, `not found: ${url.pathname}`);
        res.writeHead(200, { ...headers, "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream" });
        res.end(req.method === "HEAD" ? undefined : body);
      });
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", (e) => reject(new TenderError(`serve: cannot listen on ${host}:${port}: ${e.message}`)));
    server.listen(port, host, () => resolve(server));
  });
}
