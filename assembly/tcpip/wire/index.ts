// The wire layer (docs/tcpip.md, "Wire"): each protocol's header parsed and emitted in
// place over a frame buffer, for unikernels that build their own frames (examples/ping,
// examples/ping-serve) as much as for the stack. Import from
// "solo5-wasm/assembly/tcpip/wire".
export { getBe16, getBe32, setBe16, setBe32 } from "./bytes";
export { checksumAdd, checksumFinish, checksumWord, internetChecksum, pseudoHeaderSum } from "./checksum";
export {
  emitEthernet, ethDst, ethSrc, ethType, ETHERNET_HEADER_LEN, ETHERTYPE_ARP, ETHERTYPE_IPV4, formatMac, isGroupMac, loadMac,
  MAC_BROADCAST, storeMac,
} from "./ethernet";
export {
  ARP_LEN, ARP_REPLY, ARP_REQUEST, arpOperation, arpSenderIp, arpSenderMac, arpTargetIp, arpTargetMac, checkArp, emitArp,
} from "./arp";
export {
  checkIpv4, DEFAULT_TTL, emitIpv4, formatIpv4, IPV4_BROADCAST, IPV4_HEADER_LEN, ipv4Dst, ipv4HeaderLen, ipv4Protocol,
  ipv4Src, ipv4TotalLen, ipv4Ttl, parseIpv4, prefixMask, PROTOCOL_ICMP, PROTOCOL_TCP, PROTOCOL_UDP, setIpv4Addresses,
} from "./ipv4";
export {
  checkIcmp, clearIcmpRest, emitIcmp, ICMP_CODE_PORT_UNREACHABLE, ICMP_DEST_UNREACHABLE, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST,
  ICMP_HEADER_LEN, icmpCode, icmpEchoIdent, icmpEchoSeq, icmpType, setIcmpEcho,
} from "./icmpv4";
export { checkUdp, emitUdp, UDP_HEADER_LEN, udpDstPort, udpLength, udpSrcPort } from "./udp";
export {
  checkTcp, emitTcp, finishTcp, parseTcpOptions, TCP_ACK, TCP_FIN, TCP_HEADER_LEN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG,
  tcpAck, tcpDstPort, tcpFlags, tcpHeaderLen, TcpOptions, tcpSeq, tcpSrcPort, tcpWindow,
} from "./tcp";
export { Drop } from "../drop";
