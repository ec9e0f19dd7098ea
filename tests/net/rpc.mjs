// Calls from a test into a child process over Node's IPC channel (structured clone,
// so frames travel as Uint8Arrays): how a test reaches what must run inside a
// network namespace, which the test's own process cannot enter.

/** The parent's side: `call(op, ...args)` resolves with the child's result or rejects with its error; events go to `onEvent`. */
export function rpcClient(child, onEvent = () => {}) {
  const pending = new Map();
  let next = 0;
  const failAll = (why) => {
    for (const { reject } of pending.values()) reject(new Error(why));
    pending.clear();
  };
  child.on("message", (m) => {
    if (m.id === undefined) return onEvent(m.event);
    const call = pending.get(m.id);
    pending.delete(m.id);
    if (m.error) call.reject(Object.assign(new Error(m.error.message), m.error));
    else call.resolve(m.result);
  });
  child.on("exit", (code, signal) => failAll(`the child ended (${signal ?? `status ${code}`}) before it answered`));
  return {
    pid: child.pid,
    call(op, ...args) {
      return new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        child.send({ id, op, args });
      });
    },
  };
}

/** The child's side: answers calls with `handlers[op](...args)`; returns `emit(event)` for events the parent did not ask for. */
export function rpcServe(handlers) {
  process.on("message", async ({ id, op, args }) => {
    try {
      process.send({ id, result: await handlers[op](...args) });
    } catch (e) {
      process.send({ id, error: { name: e.name, message: e.message, ...(e.code === undefined ? {} : { code: e.code }) } });
    }
  });
  // The parent is gone: so is the reason to run.
  process.on("disconnect", () => process.exit(0));
  return (event) => process.send({ event });
}
