// How a guest with network devices sleeps in yield, and how the main thread wakes it.
// A guest with TAP devices sleeps in ppoll on their descriptors and an eventfd, so a
// frame from the kernel wakes it directly; the main thread writes the eventfd when it
// queues a frame from a hub or socket. Any other guest sleeps in Atomics.wait on its
// control words, and the main thread notifies those.
import type { Worker } from "node:worker_threads";
import { UINT64_MAX } from "../core/abi.js";
import { wake as wakeControl } from "../core/atomics-waiter.js";
import { TenderError } from "../core/errors.js";
import type { Waiter } from "../core/platform.js";
import { monotonicNs } from "./clock.js";
import { closeFd, createWaker, wait, wake as wakeFd } from "./tap.js";

/** ppoll's limit in the TAP addon. */
const MAX_POLL_FDS = 32;

/**
 * Sleeps of this thread's PollWaiter so far. A TAP found empty need not be read again
 * before the next sleep: the sleep's ppoll reports a frame that came meanwhile.
 */
export const pollSleeps = { count: 0 };

/** This thread's PollWaiters (one for a guest's worker, one for a bridge's). */
const waiters = new Set<PollWaiter>();

/**
 * The waiters of this thread no longer sleep on `fd`: a deleted TAP interface reports
 * an error to every ppoll, which would make yield return at once, for ever (ppoll
 * passes over a negative descriptor).
 */
export function stopPolling(fd: number): void {
  for (const w of waiters) w.fds.forEach((f, i) => f === fd && (w.fds[i] = -1));
}

export class PollWaiter implements Waiter {
  readonly fds: Int32Array;
  constructor(fds: readonly number[], private readonly eventFd: number) {
    this.fds = Int32Array.from(fds);
    waiters.add(this);
  }

  // Nothing to do: a wake stays in the eventfd until wait() consumes it, and a frame
  // stays readable in the TAP, so none is slept through and yield need not look again.
  arm(): boolean {
    return false;
  }

  wait(deadlineNs: bigint): void {
    if (deadlineNs === UINT64_MAX) wait(this.fds, this.eventFd, -1);
    else {
      const timeoutNs = Number(deadlineNs - monotonicNs());
      if (timeoutNs <= 0) return;
      wait(this.fds, this.eventFd, timeoutNs);
    }
    pollSleeps.count++;
  }
}

/** The main thread's handle for waking one guest, whichever way it sleeps. */
export class GuestWaker {
  /** The eventfd the guest's PollWaiter sleeps on; undefined when it uses Atomics.wait. */
  readonly eventFd: number | undefined;
  private closed = false;

  constructor(private readonly control: Int32Array, pollFds: readonly number[]) {
    if (pollFds.length > MAX_POLL_FDS) {
      throw new TenderError(`${pollFds.length} TAP devices: a guest can have at most ${MAX_POLL_FDS}`);
    }
    this.eventFd = pollFds.length > 0 ? createWaker() : undefined;
  }

  wake(): void {
    if (this.closed) return; // a hub may still pass frames on while the guest ends
    if (this.eventFd === undefined) wakeControl(this.control);
    else wakeFd(this.eventFd);
  }

  /**
   * Ends the thread this waker wakes. Worker.terminate() cannot interrupt a thread
   * asleep in ppoll (nor one that would sleep there next), so it is woken as well.
   */
  async terminate(thread: Worker): Promise<void> {
    const stopped = thread.terminate();
    this.wake();
    await stopped;
  }

  /** Once the guest's thread no longer sleeps. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.eventFd !== undefined) closeFd(this.eventFd);
  }
}
