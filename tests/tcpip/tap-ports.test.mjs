// http-serve's other services and refusals through a TAP, with Linux's own tools:
// ping (ICMP echo), nc to TCP 7 (echo until close) and UDP 7 (each datagram back),
// an RST for a closed TCP port (curl: "Connection refused" at once, not after SYN
// retries) and ICMP port unreachable for a closed UDP port (a connected UDP socket
// then gets ECONNREFUSED). One http-serve serves every test.
import fs from "node:fs";
import path from "node:path";
import { ping, pingSummary } from "../net/ping.mjs";
import { httpServeForSuite, noise, PYTHON, run, SERVER, sh, sha256, tapSupport } from "./tap-helpers.mjs";

const reason = tapSupport();
if (reason) console.warn(`skipping the TAP port tests: ${reason}`);
const describeTap = reason ? describe.skip : describe;

// A connected UDP socket to a closed port: the first datagram draws the ICMP error,
// which Linux reports on the socket's next call.
const UDP_REFUSED = `
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.connect(("${SERVER}", int(sys.argv[1])))
s.send(b"anyone?")
try:
    s.recv(100)
    print("answered")
except ConnectionRefusedError:
    print("refused")
except socket.timeout:
    print("silence")
`;

describeTap("http-serve's echo services and refusals through TAP", () => {
  const suite = httpServeForSuite();

  test("ping: ICMP echo, small and near the MTU", async () => {
    for (const size of ["56", "1400"]) {
      const r = await ping(suite.ns, "tap0", SERVER, ["-c", "5", "-i", "0.05", "-W", "2", "-s", size]);
      expect(pingSummary(r.stdout)).toMatchObject({ transmitted: 5, received: 5, duplicates: 0 });
    }
  });

  test("nc to TCP 7: a megabyte comes back byte-exact, then the server closes", async () => {
    const body = noise(1000000, 3);
    const file = path.join(suite.ns.dir, "echo-in");
    fs.writeFileSync(file, body);
    // -N: shut down our side at the end of input; nc then exits when the server closes.
    const r = await sh(suite.ns, `nc -N ${SERVER} 7 < ${file}`, { timeoutMs: 20000 });
    fs.rmSync(file);
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBe(body.length);
    expect(sha256(r.stdout)).toBe(sha256(body));
  });

  test("nc to UDP 7: each datagram comes back", async () => {
    const r = await sh(suite.ns, `printf 'one datagram\\n' | nc -u -w 1 ${SERVER} 7`);
    expect(r.stdout.toString()).toBe("one datagram\n");
  });

  test("a closed TCP port answers with RST: curl says Connection refused", async () => {
    const r = await run(suite.ns, ["curl", "-sv", "--max-time", "5", `http://${SERVER}:81/`]);
    expect(r.status).toBe(7); // CURLE_COULDNT_CONNECT; an unanswered SYN would be 28, a timeout
    expect(r.stderr).toMatch(/Connection refused/);
    expect(r.ms).toBeLessThan(1000); // the first SYN was answered, not retried
  });

  test("a closed UDP port answers with ICMP port unreachable", async () => {
    const r = await run(suite.ns, [PYTHON, "-c", UDP_REFUSED, "9"]);
    expect(r.stdout.toString()).toBe("refused\n");
    // The echo port, for contrast: answered.
    expect((await run(suite.ns, [PYTHON, "-c", UDP_REFUSED, "7"])).stdout.toString()).toBe("answered\n");
  });
});
