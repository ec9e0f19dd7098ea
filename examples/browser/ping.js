// The two ping panes: ping-serve and ping on one hub inside this page, with counters
// taken from their console lines as they come (ping's reply lines, ping-serve's
// "verbose" lines), and a button that starts both.
import { Counters } from "./counters.js";

const HUB = { type: "NET_BASIC", hub: "lan" };

export function wirePing(pane) {
  const serveCounters = new Counters(document.getElementById("serve"));
  const pingCounters = new Counters(document.getElementById("pinger"));
  const options = () => ({ mem: 16, devices: { service0: HUB } });

  let answered = 0;
  let arps = 0;
  const serve = pane("serve", {
    options,
    onRun: () => {
      serveCounters.reset();
      answered = arps = 0;
    },
    onLine(line) {
      if (line.endsWith("Received ping, sending reply")) serveCounters.set("pings", String(++answered));
      else if (line.endsWith("Received arp request, sending reply")) serveCounters.set("arps", String(++arps));
    },
  });

  let v;
  const pinger = pane("pinger", {
    options,
    onRun: () => {
      pingCounters.reset();
      v = { replies: 0, seq: 0, rttSum: 0 };
    },
    onLine(line) {
      const m = /icmp_seq=(\d+) .*time=([\d.]+) ms$/.exec(line);
      if (!m) return;
      v.replies++;
      v.seq = Number(m[1]);
      v.rttSum += Number(m[2]);
      pingCounters.set("replies", String(v.replies));
      pingCounters.set("loss", `${Math.round((100 * (v.seq - v.replies)) / v.seq)}%`);
      pingCounters.set("rtt", `${m[2]} ms`);
      pingCounters.set("avg", `${(v.rttSum / v.replies).toFixed(3)} ms`);
    },
  });

  document.getElementById("ping-both").addEventListener("click", () => {
    const args = (id) => document.querySelector(`#${id} input[name=args]`).value;
    if (!serve.guest) serve.run(args("serve"));
    if (!pinger.guest) pinger.run(args("pinger"));
  });
}
