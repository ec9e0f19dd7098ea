// The echo services of http-serve: TCP 7 (RFC 862: what comes in goes back, until the
// peer closes; then we close) and UDP 7 (each datagram back to its sender). Both run
// as stack services, at every poll.
import { StackService, TcpListener, TcpSocket, TcpState, UdpSocket } from "../../assembly/tcpip";

export class TcpEcho implements StackService {
  private readonly sockets: TcpSocket[] = [];

  constructor(readonly listener: TcpListener) {}

  poll(now: u64): void {
    for (;;) {
      const s = this.listener.accept();
      if (s === null) break;
      this.sockets.push(s);
    }
    const sockets = this.sockets;
    for (let i = 0; i < sockets.length; ) {
      const s = unchecked(sockets[i]);
      // Straight from the receive ring into the send buffer, as much as both allow.
      for (;;) {
        const n = min(s.recvContiguous, s.sendCapacity);
        if (n == 0) break;
        s.sendFrom(s.recvPtr, n);
        s.consume(n);
      }
      if (s.atEof || s.state == TcpState.Closed) {
        s.close(); // a FIN after what is queued; the socket is the stack's now
        const last = sockets.pop();
        if (last !== s) unchecked((sockets[i] = last));
        continue;
      }
      i++;
    }
  }

  pollAt(now: u64): u64 {
    return u64.MAX_VALUE;
  }
}

export class UdpEcho implements StackService {
  /** The largest datagram an Ethernet frame carries (jumbo frames included). */
  private readonly buffer: Uint8Array = new Uint8Array(9000);

  constructor(readonly socket: UdpSocket) {}

  poll(now: u64): void {
    const s = this.socket;
    while (s.canRecv) {
      const n = s.recv(this.buffer);
      s.sendTo(this.buffer, s.peerAddress, s.peerPort, min(n, this.buffer.length));
    }
  }

  pollAt(now: u64): u64 {
    return u64.MAX_VALUE;
  }
}
