// The libOS network stack (docs/tcpip.md): import from "solo5-wasm/assembly/tcpip".
export { NetStack, StackService } from "./stack";
export { TcpConfig, TcpSocketOptions } from "./tcp/config";
export { TcpSocket, TcpState, TcpError } from "./tcp/socket";
export { TcpListener } from "./tcp/listener";
export { TcpLayer } from "./tcp/layer";
export { TcpStats } from "./tcp/stats";
export { UdpSocket, UdpSocketOptions } from "./udp/socket";
export { UdpLayer } from "./udp/layer";
export { DhcpClient, DhcpState } from "./dhcp/client";
export { Resolver } from "./dns/resolver";
export { DnsError, dnsErrorName, DnsQuery } from "./dns/query";
export { Interface } from "./iface/interface";
export { Device, Solo5Device } from "./iface/device";
export { Drop, DropCounters } from "./drop";
export { formatIpv4, parseIpv4, prefixMask } from "./wire/ipv4";
export { formatMac } from "./wire/ethernet";
export { LinkConditions, LinkEnd, SimLink } from "./sim/link";
