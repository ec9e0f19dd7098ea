// BLOCK_BASIC devices of the Node host, as Solo5's hvt_module_blk: --block:NAME=PATH
// attaches one to a file (or a block device), --block-sector-size:NAME=N sets its
// sector size.
import { SECTOR_SIZE_DEFAULT, SECTOR_SIZE_MAX, SECTOR_SIZE_MIN } from "../../core/abi.js";
import { checkSectorSize } from "../../core/checks.js";
import { blockFile } from "./block-file.js";
import type { NodeDeviceType } from "./device-type.js";

/** As the library takes it: --block:NAME=PATH and --block-sector-size:NAME=N. */
export type BlockOption = { type: "BLOCK_BASIC"; path: string; sectorSize?: number };

export const block: NodeDeviceType<BlockOption> = {
  type: "BLOCK_BASIC",
  flags: [
    { flag: "--block", value: "PATH", field: "path", help: ["attach block device NAME to file PATH"] },
    {
      flag: "--block-sector-size",
      value: "N",
      field: "sectorSize",
      number: true,
      help: [`sector size of NAME: power of two, ${SECTOR_SIZE_MIN} to ${SECTOR_SIZE_MAX} (default ${SECTOR_SIZE_DEFAULT})`],
    },
  ],
  backends: [blockFile],
  backendOf: () => blockFile,
  async attach(name, { path, sectorSize = SECTOR_SIZE_DEFAULT }, ctx) {
    checkSectorSize(name, sectorSize);
    return blockFile.attach(name, { path, sectorSize }, ctx);
  },
};
