// Checks of user-given sizes that every host makes alike (ABI sections 2 and 6), so
// a refusal says the same whether the guest runs from the CLI, Node or a page (each
// in its own terms for the option: options.ts).
import { MEM_MIB_MAX, MEM_MIB_MIN, MIB, SECTOR_SIZE_MAX, SECTOR_SIZE_MIN } from "./abi.js";
import { MEM_OPTION, deviceOption, refuseOption } from "./options.js";

/** The memory option (MiB) in bytes: a whole number of MiB in the allowed range. */
export function memBytes(mib: number): number {
  if (!Number.isInteger(mib) || mib < MEM_MIB_MIN || mib > MEM_MIB_MAX) {
    throw refuseOption(MEM_OPTION, mib, `memory is a whole number of MiB from ${MEM_MIB_MIN} to ${MEM_MIB_MAX}`);
  }
  return mib * MIB;
}

/** Block device `name`'s sector size: a power of two from 512 to 32768. */
export function checkSectorSize(name: string, sectorSize: number): void {
  if (!Number.isInteger(sectorSize) || sectorSize < SECTOR_SIZE_MIN || sectorSize > SECTOR_SIZE_MAX || (sectorSize & (sectorSize - 1)) !== 0) {
    throw refuseOption(deviceOption(name, "BLOCK_BASIC", "sectorSize"), sectorSize, `the sector size must be a power of two from ${SECTOR_SIZE_MIN} to ${SECTOR_SIZE_MAX}`);
  }
}

/**
 * Block device `name`'s capacity: a non-zero multiple of its sector size. `storage`
 * is what the device was attached to, as its option gave it (a path, "memory").
 */
export function checkCapacity(name: string, storage: string, capacity: number, sectorSize: number): void {
  if (capacity === 0 || capacity % sectorSize !== 0) {
    throw refuseOption(
      deviceOption(name, "BLOCK_BASIC"),
      storage,
      `Backing storage size must be block aligned: ${capacity} bytes is ${capacity === 0 ? "empty" : `not a multiple of the sector size ${sectorSize}`}` +
        `: make it a non-zero multiple of ${sectorSize} bytes`,
    );
  }
}
