// The baseline for guest-to-guest figures: the same echo exchange as net-pinger and
// ping-serve (98-byte datagrams, WINDOW in flight), between two plain Node processes
// over loopback UDP. One process echoes, the other measures.
//
//   node bench/net/udp-echo.mjs serve PORT
//   node bench/net/udp-echo.mjs ping PORT COUNT WINDOW   -> one JSON line
import dgram from "node:dgram";
import { fileURLToPath } from "node:url";

const FRAME_BYTES = 98; // an Ethernet frame of a 56-byte ping

function serve(port) {
  const socket = dgram.createSocket("udp4");
  socket.on("message", (m, from) => socket.send(m, from.port, from.address));
  socket.bind(port, "127.0.0.1", () => console.log("ready"));
}

function ping(port, count, window) {
  const socket = dgram.createSocket("udp4");
  const sentAt = new Array(count);
  let sent = 0;
  let received = 0;
  let rttSum = 0n;
  let start;
  const send = () => {
    const m = Buffer.alloc(FRAME_BYTES);
    m.writeUInt32BE(sent, 0);
    sentAt[sent++] = process.hrtime.bigint();
    socket.send(m);
  };
  socket.on("message", (m) => {
    rttSum += process.hrtime.bigint() - sentAt[m.readUInt32BE(0)];
    if (++received === count) {
      const elapsedNs = Number(process.hrtime.bigint() - start);
      console.log(JSON.stringify({ repliesPerSecond: (count * 1e9) / elapsedNs, rttNs: Number(rttSum / BigInt(count)) }));
      socket.close();
    } else if (sent < count) send();
  });
  socket.connect(port, "127.0.0.1", () => {
    start = process.hrtime.bigint();
    while (sent < window && sent < count) send();
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [mode, port, count, window] = process.argv.slice(2);
  if (mode === "serve") serve(Number(port));
  else if (mode === "ping") ping(Number(port), Number(count), Number(window));
  else {
    console.error("usage: udp-echo.mjs serve PORT | ping PORT COUNT WINDOW");
    process.exit(2);
  }
}
