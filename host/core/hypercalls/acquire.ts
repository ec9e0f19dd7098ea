// What net_acquire and block_acquire share: every pointer checked first, the device
// taken by name and type, its handle written as a uint64_t. Each call then writes
// its own info struct.
import { HANDLE_SIZE, type DeviceType } from "../abi.js";
import type { GuestContext } from "../context.js";

/** The acquired handle and the checked address of the info struct; undefined means EINVAL. */
export function acquireDevice(
  { mem, devices }: GuestContext,
  call: string,
  type: DeviceType,
  args: { name: number; handle: number; info: number; infoSize: number },
): { handle: number; info: number } | undefined {
  const id = mem.cstring(call, args.name);
  const handleAt = mem.check(call, args.handle, HANDLE_SIZE);
  const info = mem.check(call, args.info, args.infoSize);
  const handle = devices.acquire(id, type);
  if (handle === 0) return undefined;
  mem.view.setBigUint64(handleAt, BigInt(handle), true);
  return { handle, info };
}
