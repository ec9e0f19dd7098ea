// NET_BASIC: one raw Ethernet frame per call, never blocking (ABI section 4).
// Backends (TAP, UDP, hubs, WebSocket) live with each host (backend.ts).
import { ETHERNET_HEADER, NET_INFO, R_AGAIN, R_EINVAL, R_OK } from "../abi.js";
import { endOnTenderError, type GuestContext } from "../context.js";
import { acquireDevice } from "./acquire.js";

export function netCalls(ctx: GuestContext) {
  const { mem, devices } = ctx;
  return {
    net_acquire(name: number, handle: number, info: number): number {
      const got = acquireDevice(ctx, "net_acquire", "NET_BASIC", { name, handle, info, infoSize: NET_INFO.size });
      if (!got) return R_EINVAL;
      const net = devices.net(got.handle)!;
      mem.bytes.fill(0, got.info, got.info + NET_INFO.size);
      mem.bytes.set(net.mac, got.info + NET_INFO.mac);
      mem.view.setUint32(got.info + NET_INFO.mtu, net.mtu, true);
      return R_OK;
    },

    net_write(handle: number, buf: number, size: number): number {
      const frame = mem.slice("net_write", buf, size);
      const net = devices.net(handle);
      if (!net || frame.length < ETHERNET_HEADER || frame.length > net.mtu + ETHERNET_HEADER) return R_EINVAL;
      try {
        net.write(frame);
      } catch (e) {
        endOnTenderError(ctx, e);
      }
      return R_OK;
    },

    net_read(handle: number, buf: number, size: number, readSize: number): number {
      const into = mem.slice("net_read", buf, size);
      const out = mem.check("net_read", readSize, 4);
      const net = devices.net(handle);
      if (!net || into.length < net.mtu + ETHERNET_HEADER) return R_EINVAL;
      let n;
      try {
        n = net.read(into);
      } catch (e) {
        endOnTenderError(ctx, e);
      }
      if (n < 0) return R_AGAIN;
      mem.view.setUint32(out, n, true);
      return R_OK;
    },
  };
}
