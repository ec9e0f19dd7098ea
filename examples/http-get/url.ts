// http:// URLs as http-get takes them: http://HOST[:PORT][/PATH].
export class HttpUrl {
  host: string = "";
  port: u32 = 80;
  /** The path and query, "/" when the URL has none. */
  path: string = "/";
}

/** The URL's parts, or null when it is not an http:// URL. */
export function parseHttpUrl(text: string): HttpUrl | null {
  const scheme = "http://";
  if (!text.toLowerCase().startsWith(scheme)) return null;
  const rest = text.slice(scheme.length);
  let slash = rest.indexOf("/");
  if (slash < 0) slash = rest.length;
  const authority = rest.slice(0, slash);
  const u = new HttpUrl();
  if (slash < rest.length) u.path = rest.slice(slash);
  const colon = authority.lastIndexOf(":");
  u.host = colon < 0 ? authority : authority.slice(0, colon);
  if (colon >= 0) {
    const portText = authority.slice(colon + 1);
    const port = I32.parseInt(portText, 10);
    if (portText.length == 0 || portText.length > 5 || !(port >= 1 && port <= 65535) || port.toString() != portText) return null;
    u.port = <u32>port;
  }
  if (u.host.length == 0 || u.host.includes("@")) return null;
  return u;
}
