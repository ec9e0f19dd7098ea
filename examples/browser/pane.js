// A terminal pane: runs one guest at a time through the browser entry and shows its
// console (Solo5: lines dimmed), its solo5-wasm: lines in red, and how it ended.
import { fetchKernel, start } from "../../dist/browser/solo5-wasm.js";

const ENDINGS = {
  exit: (r) => `exited: solo5_exit(${r.code}), status ${r.status}`,
  abort: (r) => `aborted: solo5_abort(), status ${r.status}`,
  trap: (r) => `trapped: ${r.message}, status ${r.status}`,
  error: (r) => `refused: status ${r.status}`,
  stopped: (r) => `stopped, status ${r.status}`,
};

export class Pane {
  /**
   * `root` is a .pane section (index.html) whose data-kernel names the guest.
   * `options()` gives the run options other than output (mem, devices), fresh for each
   * run; `onRun(commandLine)` is called as a run starts, `onLine(line)` for each
   * console line and `onEnd(result)` once it ended. `prepare()` may return a promise
   * the run waits for before its guest starts (another guest it talks to, say).
   */
  constructor(root, { options = () => ({}), onRun = () => {}, onLine = () => {}, onEnd = () => {}, prepare = () => {} } = {}) {
    this.root = root;
    this.kernel = fetchKernel(new URL(root.dataset.kernel, document.baseURI));
    this.kernel.catch(() => {}); // reported by run()
    this.options = options;
    this.onRun = onRun;
    this.onLine = onLine;
    this.onEnd = onEnd;
    this.prepare = prepare;
    this.terminal = root.querySelector(".terminal");
    this.status = root.querySelector(".status");
    this.button = root.querySelector("button[type=submit]");
    this.label = this.button.textContent; // while no guest runs; "Stop" while one does
    this.guest = undefined;
    root.querySelector("form").addEventListener("submit", (e) => {
      e.preventDefault();
      if (this.guest) this.guest.stop();
      else this.run(root.querySelector("input[name=args]").value);
    });
    for (const b of root.querySelectorAll("button[data-args]")) b.addEventListener("click", () => this.guest || this.run(b.dataset.args));
  }

  /** Runs the guest with this command line; resolves with how it ended. */
  async run(commandLine) {
    this.terminal.textContent = "";
    this.onRun(commandLine);
    this.print(`▶ ${this.root.dataset.kernel.split("/").pop()} ${commandLine}\n`, "note");
    this.setStatus("running", "starting…");
    this.busy(true);
    const decoder = new TextDecoder();
    let pending = "";
    const kind = (line) => (line.startsWith("Solo5: ") ? "solo5" : line === "SUCCESS" ? "good" : undefined);
    // Console bytes come in any pieces; lines are coloured whole, so print whole lines.
    const flush = (final) => {
      const lines = pending.split("\n");
      pending = lines.pop();
      for (const line of lines) {
        this.print(`${line}\n`, kind(line));
        this.onLine(line);
      }
      if (final && pending !== "") this.print(pending, kind(pending));
    };
    let result;
    try {
      await this.prepare();
      this.guest = await start(await this.kernel, {
        ...this.options(),
        args: commandLine.trim() === "" ? [] : [commandLine],
        stdout: (bytes) => {
          pending += decoder.decode(bytes, { stream: true });
          flush(false);
        },
        stderr: (line) => this.print(`${line}\n`, "err"),
      });
      this.setStatus("running", "running");
      result = await this.guest.exited;
      flush(true);
      this.setStatus(result.status === 0 ? "ok" : "bad", ENDINGS[result.reason](result));
    } catch (e) {
      // Refused before it ran: an isolation-less page, a bad module, a device.
      this.print(`solo5-wasm: ${e.message}\n`, "err");
      this.setStatus("bad", "refused before it started");
      result = { status: 1, reason: "error", message: e.message };
    } finally {
      this.guest = undefined;
      this.busy(false);
    }
    this.onEnd(result);
    return result;
  }

  print(text, kind) {
    const atBottom = this.terminal.scrollTop + this.terminal.clientHeight >= this.terminal.scrollHeight - 4;
    const span = document.createElement("span");
    if (kind) span.className = kind;
    span.textContent = text;
    this.terminal.append(span);
    if (atBottom) this.terminal.scrollTop = this.terminal.scrollHeight;
  }

  setStatus(kind, text) {
    this.status.className = `status ${kind}`;
    this.status.textContent = text;
  }

  busy(running) {
    this.button.textContent = running ? "Stop" : this.label;
    this.button.classList.toggle("danger", running);
    for (const b of this.root.querySelectorAll("button[data-args]")) b.disabled = running;
  }
}
