// What http-get does with a response: hashes the body as it comes, keeping none of it.
import { HttpClient, HttpClientError, HttpClientHandler, HttpClientResponse, Sha256, SHA256_HEX_LEN } from "../../assembly/http";

export class Fetch extends HttpClientHandler {
  readonly hash: Sha256 = new Sha256();
  status: u32 = 0;
  bytes: u64 = 0;
  error: HttpClientError = HttpClientError.None;

  onResponse(client: HttpClient, res: HttpClientResponse): void {
    this.status = res.status;
    this.bytes = 0;
    this.hash.reset();
  }

  onBody(client: HttpClient, res: HttpClientResponse, p: usize, n: u32): u32 {
    this.hash.update(p, n);
    this.bytes += n;
    return n;
  }

  onError(client: HttpClient, error: HttpClientError): void {
    this.error = error;
  }

  /** The body's SHA-256 in hex (once the response has ended). */
  digest(): string {
    const hex = new Uint8Array(SHA256_HEX_LEN);
    this.hash.finishHexInto(hex.dataStart);
    return String.UTF8.decode(hex.buffer);
  }
}
