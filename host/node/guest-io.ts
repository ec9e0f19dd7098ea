// How a guest's thread and the thread that starts it talk, whichever thread runs
// the guest (a worker of its own, worker-seat.ts, or the CLI's main thread,
// main-thread-seat.ts): what the starting side sends, how it takes what comes
// back, and the platform the guest's side makes of what it was sent.
import { threadFailed } from "../core/start.js";
import type { ExitResult } from "../core/errors.js";
import type { Platform } from "../core/platform.js";
import type { GuestEvent, GuestInput } from "../core/thread.js";
import { dumpCore } from "./dumpcore.js";
import { writeFully } from "./fd-write.js";
import type { WorkerInput } from "./messages.js";
import { GuestWaker, PollWaiter } from "./net-wait.js";
import { pollFds } from "./backends/registry.js";
import { atomicsWaiter, nodePlatform } from "./platform.js";
import { fileRecordSink, type Recording } from "./record-file.js";
import type { RunOptions } from "./run-options.js";

/** What the guest's thread is sent, and the waker with which the starting side wakes it. */
export function threadInput(
  input: GuestInput,
  options: RunOptions,
  control: Int32Array,
  recording: Recording | undefined,
): { message: WorkerInput; waker: GuestWaker } {
  const waker = new GuestWaker(control, pollFds(input.devices));
  const message: WorkerInput = {
    ...input,
    config: recording ? { ...input.config, record: recording.meta } : input.config,
    recordFd: recording?.fd,
    control: control.buffer as SharedArrayBuffer,
    eventFd: waker.eventFd,
    dumpCore: options.dumpCore,
    // The process's own streams are written by the guest's thread directly (fd-write.ts).
    stdoutFd: options.stdout ? undefined : 1,
    stderrFd: options.stderr ? undefined : 2,
  };
  return { message, waker };
}

/** The starting side's stderr: `options.stderr`, or the process's. */
export const stderrOf = (options: RunOptions) => options.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));

/** What the starting side does with each event of the guest's thread. */
export function eventSink(options: RunOptions, end: (result: ExitResult) => void): (m: GuestEvent) => void {
  const stderr = stderrOf(options);
  return (m) => {
    if (m.t === "out") options.stdout?.(m.bytes);
    else if (m.t === "err") stderr(m.line);
    else end(m.result);
  };
}

/** The ending of a guest whose thread failed (a tender bug), said on stderr. */
export const failedThread = (options: RunOptions, message: string): ExitResult => threadFailed(stderrOf(options), message);

/**
 * The guest thread's platform: output straight to the process's stdout and stderr
 * when those are its sinks, else as events to `post`, in order with the result.
 * With TAP devices the guest sleeps in ppoll on them (and on the eventfd the
 * starting thread writes); otherwise on its control words. A recorded run's log
 * is written from the guest's thread.
 */
export async function threadPlatform(input: WorkerInput, post: (m: GuestEvent) => void): Promise<Platform> {
  const waiter = input.eventFd === undefined ? atomicsWaiter(new Int32Array(input.control)) : new PollWaiter(pollFds(input.devices), input.eventFd);
  const encoder = new TextEncoder();
  const stdout =
    input.stdoutFd === undefined
      ? (bytes: Uint8Array) => post({ t: "out", bytes: bytes.slice() })
      : (bytes: Uint8Array) => writeFully(input.stdoutFd!, bytes);
  const stderr =
    input.stderrFd === undefined
      ? (line: string) => post({ t: "err", line })
      : (line: string) => writeFully(input.stderrFd!, encoder.encode(`${line}\n`));
  const platform = nodePlatform(
    waiter,
    stdout,
    stderr,
    input.dumpCore === undefined ? undefined : (memory, reason) => dumpCore(input.dumpCore!, memory, reason),
  );
  if (input.recordFd !== undefined) platform.recordSink = await fileRecordSink(input.recordFd, stderr);
  return platform;
}
