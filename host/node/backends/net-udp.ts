// udp:local=HOST:PORT,remote=HOST:PORT — one Ethernet frame per UDP datagram
// between two addresses, as QEMU's -netdev dgram does: guests in different processes
// (or machines) can talk without root. The socket is connected to the remote, so
// the kernel accepts datagrams from it alone. HOST is an IPv4 address or an IPv6
// one in brackets; both ends of the same family.
import { createRequire } from "node:module";
import { deviceOption, refuseOption, type OptionRefusal } from "../../core/options.js";
import { formatMac } from "../../core/net/mac.js";
import { openRingDevice } from "../../core/net/ring-backend.js";
import { RingPort, type RingSpec } from "../../core/net/ring-port.js";
import type { NetChoice, NetSettings } from "./device-type.js";

interface Address {
  host: string;
  port: number;
  family: 4 | 6;
}

// node:net and node:dgram are loaded when a udp: device is attached, not wherever the
// registry is (a guest's worker opens devices only: they would cost its start 2 ms).
const builtin = createRequire(import.meta.url);
const net = () => builtin("node:net") as typeof import("node:net");
const dgram = () => builtin("node:dgram") as typeof import("node:dgram");

const SYNTAX = "udp:local=HOST:PORT,remote=HOST:PORT";
const FORMAT = `${SYNTAX} (e.g. udp:local=127.0.0.1:5000,remote=127.0.0.1:5001)`;

interface Ends {
  local: Address;
  remote: Address;
  /** As the option gave it, for refusals. */
  text: string;
}

/** A refusal of device `name`'s udp:`text`. */
const refuse = (name: string, text: string, why: string) => {
  return refuseOption(deviceOption(name, "NET_BASIC"), `udp:${text}`, why);
};

function parseAddress(refuse: (why: string) => OptionRefusal, key: string, text: string | undefined): Address {
  const m = text === undefined ? null : /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  const host = m?.[1] ?? m?.[2] ?? "";
  const family = net().isIP(host);
  const port = Number(m?.[3]);
  if (!m || (m[1] !== undefined ? family !== 6 : family !== 4)) {
    throw refuse(`${key}=${text ?? ""} is not an address: give HOST:PORT with an IPv4 address or [IPv6]:PORT, as in ${FORMAT}`);
  }
  if (port < 1 || port > 65535) throw refuse(`${key} port ${m[3]} is not in 1..65535`);
  return { host, port, family: family as 4 | 6 };
}

/** The part after "udp:", refused with the expected form when malformed. */
function parse(name: string, text: string): Ends {
  const refuseThis = (why: string) => refuse(name, text, why);
  const fields = new Map<string, string>();
  for (const field of text.split(",")) {
    const eq = field.indexOf("=");
    const key = field.slice(0, eq);
    if (eq < 0 || !["local", "remote"].includes(key) || fields.has(key)) throw refuseThis(`expected ${FORMAT}`);
    fields.set(key, field.slice(eq + 1));
  }
  const local = parseAddress(refuseThis, "local", fields.get("local"));
  const remote = parseAddress(refuseThis, "remote", fields.get("remote"));
  if (local.family !== remote.family) throw refuseThis("local and remote must both be IPv4 or both IPv6");
  return { local, remote, text };
}

/**
 * `wake`, at most once per turn of the event loop. libuv reads up to 32 waiting
 * datagrams in one turn, each in its own 'message' callback: one wake-up for all of
 * them spares the guest's thread (asleep at nearly every delivery) a futex wake per
 * datagram, and the main thread about 4 µs per Atomics.notify that finds a sleeper.
 */
function onceThisTurn(wake: () => void): () => void {
  let pending = false;
  const run = () => {
    pending = false;
    wake();
  };
  return () => {
    if (pending) return;
    pending = true;
    setImmediate(run);
  };
}

const show = (a: Address) => (a.family === 6 ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`);

async function attach(name: string, { local, remote, text, mac }: Ends & NetSettings, { wake }: { wake(): void }) {
  const socket = dgram().createSocket(local.family === 6 ? "udp6" : "udp4");
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(local.port, local.host, () => socket.connect(remote.port, remote.host, resolve));
    });
  } catch (e) {
    socket.close();
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "EADDRINUSE" ? `${show(local)} is in use: another tender or program has bound it`
      : code === "EADDRNOTAVAIL" ? `${local.host} is not an address of this machine`
      : code === "EACCES" ? `no permission to bind ${show(local)} (ports below 1024 need root)`
      : (e as Error).message;
    throw refuse(name, text, why);
  }
  const port = new RingPort(name, mac, `udp:${show(local)}->${show(remote)} mac ${formatMac(mac)}`, onceThisTurn(wake), (frame) =>
    socket.send(Buffer.from(frame), (error) => error && port.lost()),
  );
  socket.on("message", (datagram) => port.deliver(datagram));
  // Receive errors: a peer not listening yet answers with ICMP port unreachable,
  // which the kernel reports on the socket. Nothing is lost that was not already
  // counted, and the device carries on.
  socket.removeAllListeners("error").on("error", () => {});
  return {
    spec: port.spec,
    close() {
      port.close();
      socket.close();
    },
  };
}

export const netUdp: NetChoice<Ends, RingSpec> = {
  type: "NET_BASIC",
  kind: "ring",
  prefix: "udp",
  syntax: SYNTAX,
  usage: "one frame per datagram",
  parse,
  attach,
  open: openRingDevice,
};
