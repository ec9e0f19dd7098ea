// The page GET / serves: 612 bytes, the size of nginx's default page, which the
// Unikraft and MirageOS benchmarks serve (so requests/s compare byte for byte).

const TEXT =
  "<!DOCTYPE html>\n" +
  "<html>\n" +
  "<head>\n" +
  "<title>solo5-wasm http-serve</title>\n" +
  "<style>\n" +
  "  body { max-width: 36em; margin: 2em auto; font-family: sans-serif; }\n" +
  "</style>\n" +
  "</head>\n" +
  "<body>\n" +
  "<h1>http-serve</h1>\n" +
  "<p>This page comes from a WebAssembly unikernel: an AssemblyScript HTTP/1.1 server\n" +
  "on the solo5-wasm libOS TCP/IP stack, which sees nothing of its host but raw\n" +
  "Ethernet frames, clocks and a console.</p>\n" +
  "<p>Routes: <code>/</code>, <code>/bytes/N</code>, <code>POST /echo</code> and\n" +
  "<code>POST /sha256</code>.</p>\n" +
  "</body>\n" +
  "</html>\n";

export const PAGE_LENGTH: i32 = 612;

/** TEXT padded with spaces before its last line to exactly PAGE_LENGTH bytes. */
function makePage(): Uint8Array {
  const text = Uint8Array.wrap(String.UTF8.encode(TEXT));
  const page = new Uint8Array(PAGE_LENGTH);
  const tail = 8; // "</html>\n"
  const head = min(text.length - tail, PAGE_LENGTH - tail);
  page.set(text.subarray(0, head));
  page.fill(0x20, head, PAGE_LENGTH - tail);
  page.set(text.subarray(text.length - tail), PAGE_LENGTH - tail);
  return page;
}

export const PAGE: Uint8Array = makePage();
