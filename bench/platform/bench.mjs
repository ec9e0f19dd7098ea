// The platform's speed: hypercall cost, boot time, boot at large --mem, density, and
// what running in a guest pool costs a guest's own code.
// Every figure is measured beside its baseline in the same run (bench/run.mjs).
import { bootFigures } from "./boot.mjs";
import { computeFigures } from "./compute.mjs";
import { densityFigures } from "./density.mjs";
import { hypercallFigures } from "./hypercalls.mjs";

export default async function platformBench({ quick = false } = {}) {
  return [
    ...(await hypercallFigures({ quick })),
    ...(await bootFigures({ quick })),
    ...(await densityFigures({ quick })),
    ...(await computeFigures({ quick })),
  ];
}
