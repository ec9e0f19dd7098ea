// The platform's speed: hypercall cost, boot time, boot at large --mem, density.
// Every figure is measured beside its baseline in the same run (bench/run.mjs).
import { bootFigures } from "./boot.mjs";
import { hypercallFigures } from "./hypercalls.mjs";

export default async function platformBench({ quick = false } = {}) {
  return [...(await hypercallFigures({ quick })), ...(await bootFigures({ quick }))];
}
