// Unit tests of the DHCP and DNS wire formats (assembly/tcpip/wire/dhcp.ts, dns.ts):
// messages Debian's dnsmasq 2.90 sent (captured once in a network namespace) parsed,
// and the same bytes emitted; malformed messages of every kind the parsers must refuse
// (option lengths past the end, option overload, compression loops, pointers forward,
// backward into the header and past the end, labels over 63, names over 255, counts
// that lie); then seeded random mutations (the same every run) of the good messages, which must all come
// back with an answer, not a trap or a hang. Prints SUCCESS, or each failure and FAILURE.
import { puts } from "../../../assembly";
import { Drop } from "../../../assembly/tcpip/drop";
import {
  BOOTREPLY, checkDhcp, DHCP_FLAG_BROADCAST, DhcpOptions, DhcpType, dhcpChaddr, dhcpFlags, dhcpOp, dhcpSiaddr, dhcpXid,
  dhcpYiaddr, emitDhcp, emitOptionEnd, emitOptionU32, emitOptionU8, OPTION_BROADCAST, OPTION_DNS, OPTION_LEASE_TIME,
  OPTION_MESSAGE_TYPE, OPTION_REBINDING_TIME, OPTION_RENEWAL_TIME, OPTION_ROUTER, OPTION_SERVER_ID, OPTION_SUBNET_MASK,
} from "../../../assembly/tcpip/wire/dhcp";
import {
  checkDns, DNS_CLASS_IN, DNS_FLAG_RECURSION_DESIRED, DNS_HEADER_LEN, DNS_TYPE_A, DNS_TYPE_CNAME, DnsName, dnsAnswerCount,
  dnsDataLen, dnsFlags, dnsId, dnsTtl, dnsType, emitDnsHeader, emitDnsName, emitDnsPointer, emitDnsQuestion, emitDnsRecord,
  encodeDnsName, readDnsName,
} from "../../../assembly/tcpip/wire/dns";
import { setBe32 } from "../../../assembly/tcpip/wire/bytes";
import { seededRandom } from "../shared/seeded-random";
import { eq, fail, finish, hex, sameBytes } from "../shared/checks";

// dnsmasq --dhcp-range=10.9.0.50,10.9.0.99,255.255.255.0,1h --dhcp-option=option:router,10.9.0.1
// --dhcp-option=option:dns-server,10.9.0.1, answering a DISCOVER and a REQUEST (xid 0x3903f326, broadcast flag).
const ZEROS_192 = "00".repeat(192);
const DHCP_FIXED = "020106003903f32600008000000000000a0900570a090001000000006e3781134cfe" + "00".repeat(10) + ZEROS_192 + "63825363";
const DNSMASQ_OFFER = DHCP_FIXED + "350102" + "36040a090001330400000e103a04000007083b0400000c4e0104ffffff001c040a0900ff06040a09000103040a090001ff0000000000000000";
const DNSMASQ_ACK = DHCP_FIXED + "350105" + "36040a090001330400000e103a04000007083b0400000c4e0104ffffff001c040a0900ff06040a09000103040a090001ff0000000000000000";
const CHADDR: u64 = 0xfe4c_1381_376e; // 6e:37:81:13:4c:fe, as loadMac reads it

// A query for www.example.test (id 0xbeef, RD) and dnsmasq's answer, with
// --host-record=host.example.test,10.9.0.80 --cname=www.example.test,host.example.test --local-ttl=300:
// a CNAME whose owner points at the question, and an A record whose owner points into the CNAME's data.
const QUESTION = "03777777076578616d706c6504746573740000010001";
const DNS_QUERY = "beef01000001000000000000" + QUESTION;
const DNSMASQ_ANSWER = "beef85800001000200000000" + QUESTION +
  "c00c000500010000012c001304686f7374076578616d706c65047465737400" + "c02e000100010000012c00040a090050";


function name(text: string): DnsName {
  const n = new DnsName();
  if (!encodeDnsName(text, n)) fail("encodeDnsName('" + text + "')");
  return n;
}

const options = new DhcpOptions();

function dhcpOffer(): void {
  const m = hex(DNSMASQ_OFFER);
  const p = m.dataStart;
  eq("offer check", checkDhcp(p, m.length, options), Drop.None);
  eq("offer op", dhcpOp(p), BOOTREPLY);
  eq("offer xid", dhcpXid(p), 0x3903f326);
  eq("offer flags", dhcpFlags(p), DHCP_FLAG_BROADCAST);
  eq("offer yiaddr", dhcpYiaddr(p), 0x0a090057);
  eq("offer siaddr", dhcpSiaddr(p), 0x0a090001);
  eq("offer chaddr", dhcpChaddr(p), CHADDR);
  eq("offer type", options.messageType, DhcpType.Offer);
  eq("offer server", options.serverId, 0x0a090001);
  eq("offer lease", options.leaseTime, 3600);
  eq("offer T1", options.renewalTime, 1800);
  eq("offer T2", options.rebindingTime, 3150);
  eq("offer mask", options.subnetMask, 0xffffff00);
  eq("offer router", options.router, 0x0a090001);
  eq("offer dns", options.dns, 0x0a090001);
  const ack = hex(DNSMASQ_ACK);
  eq("ack check", checkDhcp(ack.dataStart, ack.length, options), Drop.None);
  eq("ack type", options.messageType, DhcpType.Ack);
  // The same offer, emitted: dnsmasq's option order, padded to 300 bytes as dnsmasq does.
  const out = new Uint8Array(600);
  const q0 = out.dataStart;
  let q = emitDhcp(q0, BOOTREPLY, 0x3903f326, 0, DHCP_FLAG_BROADCAST, 0, 0x0a090057, 0x0a090001, CHADDR);
  q = emitOptionU8(q, OPTION_MESSAGE_TYPE, DhcpType.Offer);
  q = emitOptionU32(q, OPTION_SERVER_ID, 0x0a090001);
  q = emitOptionU32(q, OPTION_LEASE_TIME, 3600);
  q = emitOptionU32(q, OPTION_RENEWAL_TIME, 1800);
  q = emitOptionU32(q, OPTION_REBINDING_TIME, 3150);
  q = emitOptionU32(q, OPTION_SUBNET_MASK, 0xffffff00);
  q = emitOptionU32(q, OPTION_BROADCAST, 0x0a0900ff);
  q = emitOptionU32(q, OPTION_DNS, 0x0a090001);
  q = emitOptionU32(q, OPTION_ROUTER, 0x0a090001);
  sameBytes("emitted offer", q0, emitOptionEnd(q0, q), DNSMASQ_OFFER);
}

/** The offer's fixed part with `opts` (hex) as its options. */
function dhcpWith(opts: string): Drop {
  const m = hex(DHCP_FIXED + opts);
  return checkDhcp(m.dataStart, m.length, options);
}

/** Overload: `code` (1 file, 2 sname, 3 both) with `file` and `sname` as those fields' first bytes. */
function dhcpOverloaded(code: string, file: string, sname: string): Drop {
  const m = hex(DNSMASQ_OFFER);
  const s = hex(sname);
  const f = hex(file);
  memory.copy(m.dataStart + 44, s.dataStart, s.length);
  memory.copy(m.dataStart + 108, f.dataStart, f.length);
  const o = hex("350102" + "3401" + code + "ff");
  memory.copy(m.dataStart + 240, o.dataStart, o.length);
  return checkDhcp(m.dataStart, 240 + o.length, options);
}

function dhcpMalformed(): void {
  const m = hex(DNSMASQ_OFFER);
  eq("short", checkDhcp(m.dataStart, 239, options), Drop.Truncated);
  eq("no END, options to the end", dhcpWith("350102"), Drop.None);
  eq("pads only", dhcpWith("000000350102000000ff"), Drop.None);
  eq("no message type", dhcpWith("36040a090001ff"), Drop.BadMessage);
  const cookie = hex(DHCP_FIXED.replace("63825363", "63825364") + "350102ff");
  eq("cookie", checkDhcp(cookie.dataStart, cookie.length, options), Drop.BadMessage);
  const htype = hex(DHCP_FIXED.replace("02010600", "02060600") + "350102ff");
  eq("htype", checkDhcp(htype.dataStart, htype.length, options), Drop.Unsupported);
  eq("length past the end", dhcpWith("35010206080a090001"), Drop.BadMessage);
  eq("code without length", dhcpWith("35010206"), Drop.BadMessage);
  eq("type of 2 bytes", dhcpWith("35020202ff"), Drop.BadMessage);
  eq("dns of 3 bytes", dhcpWith("35010206030a0900ff"), Drop.BadMessage);
  eq("dns of 0 bytes", dhcpWith("3501020600ff"), Drop.BadMessage);
  eq("server id of 8", dhcpWith("35010236080a0900010a090002ff"), Drop.BadMessage);
  eq("lease of 2", dhcpWith("35010233020e10ff"), Drop.BadMessage);
  eq("a list of routers", dhcpWith("35010203080a0900020a090001ff"), Drop.None);
  eq("the first router", options.router, 0x0a090002);
  eq("unknown options skipped", dhcpWith("350102fa03010203ff"), Drop.None);
  // Overload: the file field (and sname) hold more options; walked in that order, never chained.
  eq("overload file", dhcpOverloaded("01", "03040a090009ff", ""), Drop.None);
  eq("router from file", options.router, 0x0a090009);
  eq("overload both", dhcpOverloaded("03", "ff", "06040a090008ff"), Drop.None);
  eq("dns from sname", options.dns, 0x0a090008);
  const plain = hex(DHCP_FIXED + "350102ff");
  const inFile = hex("03040a090009ff");
  memory.copy(plain.dataStart + 108, inFile.dataStart, inFile.length);
  eq("no overload: file not read", checkDhcp(plain.dataStart, plain.length, options), Drop.None);
  eq("no overload: no router", options.router, 0);
  eq("overload value 4", dhcpOverloaded("04", "ff", "ff"), Drop.BadMessage);
  eq("overload in file", dhcpOverloaded("01", "340102ff", ""), Drop.BadMessage);
  eq("overload twice", dhcpWith("35010234010134010" + "2ff"), Drop.BadMessage);
  // The file field is 128 bytes: an option from byte 126 with 4 bytes of value runs past it.
  eq("file option past its field", dhcpOverloaded("01", "00".repeat(126) + "0304", ""), Drop.BadMessage);
  eq("sname option past its field", dhcpOverloaded("02", "", "00".repeat(62) + "0604"), Drop.BadMessage);
}

function dnsKnown(): void {
  const out = new Uint8Array(512);
  const p = out.dataStart;
  // The query, emitted.
  emitDnsHeader(p, 0xbeef, DNS_FLAG_RECURSION_DESIRED, 1, 0, 0, 0);
  const www = name("www.example.test");
  let q = emitDnsQuestion(emitDnsName(p + DNS_HEADER_LEN, www), DNS_TYPE_A, DNS_CLASS_IN);
  sameBytes("emitted query", p, <u32>(q - p), DNS_QUERY);
  // The answer, parsed.
  const m = hex(DNSMASQ_ANSWER);
  const a = m.dataStart;
  const n = <u32>m.length;
  eq("answer check", checkDns(a, n), Drop.None);
  eq("answer id", dnsId(a), 0xbeef);
  eq("answer flags", dnsFlags(a), 0x8580);
  eq("answer count", dnsAnswerCount(a), 2);
  const read = new DnsName();
  const afterQuestion = readDnsName(a, n, 12, read) + 4;
  if (!read.equals(www)) fail("question name");
  if (!read.equals(name("WWW.Example.TEST."))) fail("names compare without case, and a trailing dot is the root");
  const cname = readDnsName(a, n, afterQuestion, read);
  if (!read.equals(www)) fail("CNAME owner (a pointer to the question)");
  eq("CNAME type", dnsType(a + cname), DNS_TYPE_CNAME);
  eq("CNAME ttl", dnsTtl(a + cname), 300);
  const target = new DnsName();
  const cnameData = cname + 10;
  eq("CNAME data ends", readDnsName(a, n, cnameData, target), cnameData + dnsDataLen(a + cname));
  const host = name("host.example.test");
  if (!target.equals(host)) fail("CNAME target");
  const second = cnameData + dnsDataLen(a + cname);
  const fixed = readDnsName(a, n, second, read);
  eq("A owner is a 2-byte pointer", fixed, second + 2);
  if (!read.equals(host)) fail("A owner (a pointer into the CNAME's data)");
  eq("A type", dnsType(a + fixed), DNS_TYPE_A);
  eq("A data", bswap<u32>(load<u32>(a + fixed + 10)), 0x0a090050);
  // The answer, emitted with the same compression.
  emitDnsHeader(p, 0xbeef, 0x8580, 1, 2, 0, 0);
  q = emitDnsQuestion(emitDnsName(p + DNS_HEADER_LEN, www), DNS_TYPE_A, DNS_CLASS_IN);
  q = emitDnsRecord(emitDnsPointer(q, 12), DNS_TYPE_CNAME, DNS_CLASS_IN, 300, host.length);
  const hostAt = <u32>(q - p);
  q = emitDnsName(q, host);
  q = emitDnsRecord(emitDnsPointer(q, hostAt), DNS_TYPE_A, DNS_CLASS_IN, 300, 4);
  setBe32(q, 0x0a090050);
  sameBytes("emitted answer", p, <u32>(q + 4 - p), DNSMASQ_ANSWER);
}

function dnsCheck(h: string): Drop {
  const m = hex(h);
  return checkDns(m.dataStart, m.length);
}

/** A message with one question whose name is `qname` (hex). */
function dnsQuestion(qname: string): Drop {
  return dnsCheck("beef01000001000000000000" + qname + "00010001");
}

function dnsMalformed(): void {
  const answer = "beef8580000100" + "02" + "00000000" + QUESTION +
    "c00c000500010000012c001304686f7374076578616d706c65047465737400" + "c02e000100010000012c00040a090050";
  eq("good", dnsCheck(answer), Drop.None);
  eq("header short", dnsCheck("beef0100000100000000"), Drop.Truncated);
  eq("answer count lies", dnsCheck(answer.replace("beef85800001000200000000", "beef85800001000300000000")), Drop.BadMessage);
  eq("additional count lies", dnsCheck(answer.replace("beef85800001000200000000", "beef85800001000200000001")), Drop.BadMessage);
  eq("question count lies", dnsCheck(DNS_QUERY.replace("beef01000001", "beef01000002")), Drop.BadMessage);
  eq("every count at 65535", dnsCheck("beef8580ffffffffffffffff" + QUESTION), Drop.BadMessage);
  eq("message cut in the A data", dnsCheck(answer.slice(0, answer.length - 2)), Drop.BadMessage);
  eq("pointer to itself", dnsQuestion("c00c"), Drop.BadMessage);
  eq("pointer forward", dnsQuestion("c01000"), Drop.BadMessage);
  eq("pointer into the header", dnsQuestion("c002"), Drop.BadMessage);
  eq("pointer past the end", dnsQuestion("c3ff"), Drop.BadMessage);
  eq("pointer cut in half", dnsCheck("beef01000001000000000000" + "c0"), Drop.BadMessage);
  // The question's name points forward at the record's owner, which points back at the question: a loop, if followed.
  eq("pointer loop across names", dnsCheck("beef81800001000100000000" + "0161c014" + "00010001" + "c00c00010001000000000004" + "0a000001"), Drop.BadMessage);
  eq("label of 64", dnsQuestion("40" + "61".repeat(64) + "00"), Drop.BadMessage);
  eq("label kind 0x80", dnsQuestion("8161" + "00"), Drop.BadMessage);
  eq("label past the end", dnsCheck("beef01000001000000000000" + "05616263"), Drop.BadMessage);
  eq("no root label", dnsCheck("beef01000001000000000000" + "03616263"), Drop.BadMessage);
  const label63 = "3f" + "61".repeat(63);
  eq("name of 255", dnsQuestion(label63 + label63 + label63 + "3d" + "61".repeat(61) + "00"), Drop.None);
  eq("name of 256", dnsQuestion(label63 + label63 + label63 + "3e" + "61".repeat(62) + "00"), Drop.BadMessage);
  // Four 63-byte labels chained backwards by pointers: each piece is fine, the name is 257 bytes.
  const chained = "beef81800001000300000000" + label63 + "00" + "00010001" +
    label63 + "c00c" + "000100010000000000040a000001" + label63 + "c051" + "000100010000000000040a000001" +
    label63 + "c0a1" + "000100010000000000040a000001";
  eq("name over 255 through pointers", dnsCheck(chained), Drop.BadMessage);
  eq("A of 5 bytes", dnsCheck("beef81800001000100000000" + QUESTION + "c00c00010001000000000005" + "0a00000101"), Drop.BadMessage);
  eq("A of another class, any length", dnsCheck("beef81800001000100000000" + QUESTION + "c00c00010003000000000005" + "0a00000101"), Drop.None);
  eq("CNAME data longer than its name", dnsCheck("beef81800001000100000000" + QUESTION + "c00c00050001000000000004" + "c00c" + "0000"), Drop.BadMessage);
  eq("CNAME data shorter than its name", dnsCheck("beef81800001000100000000" + QUESTION + "c00c00050001000000000002" + "0161" + "00"), Drop.BadMessage);
  eq("record data past the end", dnsCheck("beef81800001000100000000" + QUESTION + "c00c00100001000000000010" + "00"), Drop.BadMessage);
  const invalid = ["", ".", "a..b", ".a", "a.b..", "a".repeat(64) + ".test", "\u00e4.test", ("a".repeat(63) + ".").repeat(4) + "a"];
  for (let i = 0; i < invalid.length; i++) {
    if (encodeDnsName(invalid[i], new DnsName())) fail("encodeDnsName accepted invalid name " + i.toString());
  }
  const longest = ("a".repeat(63) + ".").repeat(3) + "a".repeat(61);
  eq("longest name", name(longest).length, 255);
}

/** Flips random bytes of `good` (and cuts it short at random) `rounds` times; every check must return. */
function mutate(good: string, dns: bool, rounds: i32): u32 {
  const original = hex(good);
  const m = new Uint8Array(original.length);
  const scratch = new DnsName();
  let accepted: u32 = 0;
  for (let r = 0; r < rounds; r++) {
    memory.copy(m.dataStart, original.dataStart, original.length);
    const flips: u32 = 1 + seededRandom() % 4;
    for (let k: u32 = 0; k < flips; k++) m[seededRandom() % <u32>m.length] = <u8>seededRandom();
    const n = seededRandom() % 4 == 0 ? seededRandom() % <u32>m.length : <u32>m.length;
    if (dns) {
      if (checkDns(m.dataStart, n) == Drop.None) accepted++;
      for (let at: u32 = 0; at < n; at++) readDnsName(m.dataStart, n, at, scratch);
    } else if (checkDhcp(m.dataStart, n, options) == Drop.None) {
      accepted++;
    }
  }
  return accepted;
}

export function solo5_app_main(_si: usize): i32 {
  dhcpOffer();
  dhcpMalformed();
  dnsKnown();
  dnsMalformed();
  const dhcpKept = mutate(DNSMASQ_ACK, false, 20000);
  const dnsKept = mutate(DNSMASQ_ANSWER, true, 20000);
  puts("mutations accepted: dhcp " + dhcpKept.toString() + "/20000, dns " + dnsKept.toString() + "/20000\n");
  return finish();
}
