// Many guests on one thread (docs/density.md). Each guest's module is asyncified
// (asyncify.ts), so a yield that has to wait suspends the guest instead of blocking
// the thread; the scheduler runs another one and resumes the sleeper when its
// deadline passes or one of its net devices has input. For the guest nothing
// changes: yield returns when the ABI says it does, with the same ready set.
// Scheduling is cooperative: a guest holds the thread until it waits in yield or ends.
//
// The host drives it: add() guests, runReady() whenever the clock may have passed a
// deadline or a device may have input, and sleep until the deadline it returns (or a
// wake-up). The core touches no platform API here either.
import { HANDLE_SIZE, STATUS_TENDER_ERROR, UINT64_MAX, asU64 } from "../abi.js";
import type { AsyncifyExports } from "./asyncify.js";
import type { ExitResult } from "../errors.js";
import { endingOf, instantiateGuest, mainReturned, reportDevices, type GuestConfig, type LiveGuest } from "../guest.js";
import { deadlinePassed } from "../hypercalls/yield.js";
import type { Kernel } from "../kernel.js";
import { Log } from "../log.js";
import type { Platform, SharedPlatform, Waiter } from "../platform.js";
import { STACK_WINDOW, Suspender } from "./suspender.js";
import { TimerHeap } from "./timer-heap.js";

/** The scheduler replaces yield, the only hypercall that would use a waiter. */
const NO_WAITER: Waiter = {
  arm: () => false,
  wait: () => {
    throw new Error("a guest on a shared thread never waits in its thread");
  },
};

/** One sleep of one guest, as the timer heap holds it; emptied when the sleep is over. */
interface Sleep {
  resident: Resident | undefined;
}

interface Resident {
  guest: LiveGuest;
  log: Log;
  platform: Platform;
  suspender: Suspender;
  passed: (until: bigint) => boolean;
  /** False until _initialize has returned (it may yield too). */
  inMain: boolean;
  state: "runnable" | "sleeping" | "ended";
  sleep: Sleep | undefined;
  /** The deadline of the yield it is suspended in. */
  deadline: bigint;
  onEnd: (result: ExitResult) => void;
}

export class Scheduler {
  private runnable: Resident[] = [];
  private readonly timers = new TimerHeap<Sleep>();
  /** Sleeping guests with acquired net devices: input wakes them. */
  private readonly listening = new Set<Resident>();
  /** Holds a guest's bytes while its stack window is borrowed (suspender.ts). */
  private readonly scratch = new Uint8Array(STACK_WINDOW);
  private count = 0;

  constructor(private readonly monotonicNs: () => bigint) {}

  /** Guests added and not yet ended. */
  get size(): number {
    return this.count;
  }

  /**
   * Instantiates a guest of an asyncified kernel and queues it to run. Its ending,
   * a refusal included, goes to `onEnd`, once, from within add() or runReady().
   * Returns a function that stops it (a no-op once it has ended).
   */
  add(kernel: Kernel, config: GuestConfig, shared: SharedPlatform, onEnd: (result: ExitResult) => void): () => void {
    const platform: Platform = { ...shared, waiter: NO_WAITER };
    const log = new Log(config.logLevel, (b) => platform.stdout(b));
    let r!: Resident; // set before any guest code can call yield
    let guest: LiveGuest;
    try {
      guest = instantiateGuest(kernel, config, platform, log, { replace: { yield: (deadline, readySet) => this.yield(r, deadline, readySet) } });
    } catch (e) {
      onEnd(endingOf(e, platform, log, undefined));
      return () => {};
    }
    const suspender = new Suspender(guest.ctx.mem.bytes, guest.layout.startInfo, guest.instance.exports as unknown as AsyncifyExports, this.scratch);
    r = {
      guest,
      log,
      platform,
      suspender,
      passed: deadlinePassed(platform.monotonicNs),
      inMain: !kernel.hasInitialize,
      state: "runnable",
      sleep: undefined,
      deadline: UINT64_MAX,
      onEnd,
    };
    this.count++;
    this.runnable.push(r);
    return () => {
      if (r.state !== "ended") this.end(r, { status: STATUS_TENDER_ERROR, reason: "stopped", message: "stopped from outside" });
    };
  }

  /**
   * Runs every guest that can run, until none can: woken by its deadline or a
   * device, or new. Returns the earliest deadline of the sleepers (UINT64_MAX if
   * none has one), when the host should call again if no device wakes it first.
   */
  runReady(): bigint {
    this.wakeDue();
    while (this.runnable.length > 0) {
      const batch = this.runnable;
      this.runnable = [];
      for (const r of batch) if (r.state === "runnable") this.run(r);
      this.wakeDue();
    }
    return this.timers.peek() ?? UINT64_MAX;
  }

  private wakeDue(): void {
    const now = this.monotonicNs();
    for (let at = this.timers.peek(); at !== undefined && at <= now; at = this.timers.peek()) {
      const r = this.timers.pop()!.resident;
      if (r) this.wake(r);
    }
    for (const r of this.listening) if (r.guest.ctx.devices.readySet() !== 0n) this.wake(r);
  }

  private wake(r: Resident): void {
    this.unsleep(r);
    r.state = "runnable";
    this.runnable.push(r);
  }

  private unsleep(r: Resident): void {
    if (r.sleep) r.sleep.resident = undefined;
    r.sleep = undefined;
    this.listening.delete(r);
  }

  /** Enters (or re-enters, rewinding) the guest until it suspends or ends. */
  private run(r: Resident): void {
    const { exports, layout, ctx } = r.guest;
    try {
      if (r.suspender.suspended) r.suspender.resume();
      if (!r.inMain) {
        exports._initialize!();
        if (ctx.ended) throw ctx.ended;
        if (r.suspender.unwound()) return this.park(r);
        r.inMain = true;
      }
      const code = exports.solo5_app_main(layout.startInfo);
      if (ctx.ended) throw ctx.ended;
      if (r.suspender.unwound()) return this.park(r);
      this.end(r, mainReturned(r.log, code));
    } catch (caught) {
      // An exit or abort stands even if a guest with exception handling caught its unwinding.
      this.end(r, endingOf(ctx.ended ?? r.suspender.explain(caught), r.platform, r.log, ctx.mem));
    }
  }

  private park(r: Resident): void {
    r.state = "sleeping";
    if (r.guest.ctx.devices.nets.length > 0) this.listening.add(r);
    if (r.deadline !== UINT64_MAX) {
      r.sleep = { resident: r };
      this.timers.push(r.deadline, r.sleep);
    }
  }

  private end(r: Resident, result: ExitResult): void {
    this.unsleep(r);
    r.state = "ended";
    this.count--;
    reportDevices(r.log, r.guest.ctx.devices);
    r.onEnd(result);
  }

  /**
   * The guest's yield: answers at once when a device is ready or the deadline has
   * passed (as the blocking one does), otherwise suspends the guest. A suspended
   * guest is resumed by calling its export again: asyncify rewinds into this same
   * call, with the same arguments, which then checks again.
   */
  private yield(r: Resident, deadline: bigint, readySet: number): void {
    r.suspender.resumed();
    const { mem, devices } = r.guest.ctx;
    const out = readySet === 0 ? 0 : mem.check("yield", readySet, HANDLE_SIZE);
    const until = asU64(deadline);
    const set = devices.nets.length === 0 ? 0n : devices.readySet();
    if (set !== 0n || r.passed(until)) {
      if (readySet !== 0) mem.view.setBigUint64(out, set, true);
      return;
    }
    r.deadline = until;
    r.suspender.suspend();
  }
}
