// How http-serve's connections end, seen on the wire (tcpdump in the namespace):
// the server's FIN goes once, and once acknowledged the server is quiet in FIN-WAIT-2
// while the client keeps its half open; when the client closes first (TCP echo), one
// FIN answers it. Clients that close at once (curl) hide what the server does
// between the two FINs, so these hold their half open for a while.
import { capture, httpServeForSuite, PYTHON, run, SERVER, tapSupport } from "./tap-helpers.mjs";

const reason = tapSupport();
if (reason) console.warn(`skipping the TAP close tests: ${reason}`);
const describeTap = reason ? describe.skip : describe;

// Sends `request` to `port`, reads until the server's FIN, keeps its own half open
// for `hold` seconds, then closes: prints the bytes read.
const HOLD_OPEN = `
import socket, sys, time
port, request, hold = int(sys.argv[1]), sys.argv[2].encode().decode("unicode_escape").encode("latin1"), float(sys.argv[3])
s = socket.create_connection(("${SERVER}", port))
s.sendall(request)
if port == 7:
    s.shutdown(socket.SHUT_WR)
n = 0
while True:
    d = s.recv(65536)
    if not d:
        break
    n += len(d)
time.sleep(hold)
s.close()
time.sleep(0.2)
print(n)
`;

/** The segments from the server in `lines` (tcpdump's), and which of them carry FIN. */
function fromServer(lines, port) {
  const sent = lines.filter((l) => l.includes(` ${SERVER}.${port} > `));
  return { sent, fins: sent.filter((l) => /Flags \[[^\]]*F/.test(l)) };
}

describeTap("how http-serve's connections end, through TAP", () => {
  const suite = httpServeForSuite();

  test("Connection: close: one FIN, then nothing while the client's half stays open", async () => {
    const dump = await capture(suite.ns, "tcp port 80");
    const r = await run(suite.ns, [PYTHON, "-c", HOLD_OPEN, "80", "GET /bytes/1000 HTTP/1.1\\r\\nHost: t\\r\\nConnection: close\\r\\n\\r\\n", "1.5"]);
    const lines = await dump.stop();
    expect(r.stdout.toString().trim()).not.toBe("0");
    const { sent, fins } = fromServer(lines, 80);
    expect(fins).toHaveLength(1);
    // After the FIN: only the ACK of the client's own FIN, at the end.
    const afterFin = sent.slice(sent.indexOf(fins[0]) + 1);
    expect(afterFin).toHaveLength(1);
    expect(afterFin[0]).toMatch(/Flags \[\.\]/);
  });

  test("TCP echo: the client closes first, one FIN answers it", async () => {
    const dump = await capture(suite.ns, "tcp port 7");
    const r = await run(suite.ns, [PYTHON, "-c", HOLD_OPEN, "7", "some bytes to echo", "0.5"]);
    const lines = await dump.stop();
    expect(r.stdout.toString().trim()).toBe("18");
    expect(fromServer(lines, 7).fins).toHaveLength(1);
  });
});
