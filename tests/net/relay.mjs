// Joining TCP across namespaces for Netns.forward(). Run in a namespace, this file
// accepts connections on a Unix socket (a path in the file system, which every
// namespace sees) and joins each to HOST:PORT of the namespace's own network.
//
//   node relay.mjs SOCKET_PATH HOST PORT      (prints "ready" once listening)
import net from "node:net";
import { fileURLToPath } from "node:url";

/** Pipes `a` and `b` into each other until either ends or fails. */
export function splice(a, b) {
  a.pipe(b).pipe(a);
  a.on("error", () => b.destroy());
  b.on("error", () => a.destroy());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [socketPath, host, port] = process.argv.slice(2);
  net.createServer((outside) => splice(outside, net.connect(Number(port), host))).listen(socketPath, () => console.log("ready"));
}
