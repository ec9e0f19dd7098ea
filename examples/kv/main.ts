// kv: a persistent key-value store on the block device "storage". The command line
// holds commands separated by ";", run in order:
//   put K V    K is one word, V the rest of the command   -> OK put K
//   get K                                                  -> OK get K V | MISSING get K
//   del K                                                  -> OK del K | MISSING del K
//   list       every pair, by key: ITEM K V lines          -> OK list N
//   stats                                                  -> OK stats keys=.. records=.. damaged=.. used=.. free=.. block=..
//   fill P N   put P0 .. P(N-1) with values v0 .. v(N-1), each acknowledged as put is
//   format     starts an empty store (as the first command: instead of opening)
// "OK" is printed only once the change is in the host's file. A failing command
// prints "ERR <command>: <why>" and the store goes on; the exit status is then 2.
// The format on the device is in format.ts.
import { Block, cmdline, puts } from "../../assembly";
import { Store } from "./store";

function say(line: string): void {
  puts(line + "\n");
}

/** The first word of `s`, and the rest after the spaces that follow it. */
function split(s: string): string[] {
  const space = s.indexOf(" ");
  return space < 0 ? [s, ""] : [s.substring(0, space), s.substring(space + 1).trimStart()];
}

/** Runs one command; false when it failed. */
function run(store: Store, command: string): bool {
  const parts = split(command);
  const op = parts[0];
  const args = split(parts[1]);
  const key = args[0];
  let err: string | null = null;
  if (op == "put" && key != "") {
    err = store.put(key, args[1]);
    if (err === null) say("OK put " + key);
  } else if (op == "get" && key != "" && args[1] == "") {
    say(store.map.has(key) ? "OK get " + key + " " + store.map.get(key) : "MISSING get " + key);
  } else if (op == "del" && key != "" && args[1] == "") {
    if (!store.map.has(key)) say("MISSING del " + key);
    else if ((err = store.del(key)) === null) say("OK del " + key);
  } else if (op == "list" && key == "") {
    const keys = store.map.keys().sort();
    for (let i = 0; i < keys.length; i++) say("ITEM " + keys[i] + " " + store.map.get(keys[i]));
    say("OK list " + keys.length.toString());
  } else if (op == "stats" && key == "") {
    say("OK stats keys=" + store.map.size.toString() + " records=" + store.records.toString() +
      " damaged=" + store.damaged.toString() + " used=" + store.usedBlocks.toString() +
      " free=" + store.freeBlocks.toString() + " block=" + store.blockSize.toString());
  } else if (op == "fill" && key != "" && I32.parseInt(args[1]) > 0) {
    const n = I32.parseInt(args[1]);
    for (let i = 0; i < n && err === null; i++) {
      const k = key + i.toString();
      if ((err = store.put(k, "v" + i.toString())) === null) say("OK put " + k);
    }
  } else if (op == "format" && key == "") {
    if ((err = store.format()) === null) say("OK format");
  } else {
    err = "unknown or malformed command (put K V, get K, del K, list, stats, fill P N, format)";
  }
  if (err !== null) say("ERR " + command + ": " + err);
  return err === null;
}

export function solo5_app_main(_si: usize): i32 {
  const dev = Block.acquire("storage");
  if (dev === null) {
    say("ERR no block device 'storage' (declare it in manifest.json and attach it with --block:storage=FILE)");
    return 1;
  }
  const commands = cmdline().split(";").map<string>((c: string) => c.trim()).filter((c: string) => c != "");
  const store = new Store(dev);
  // Opening a damaged or foreign device fails; "format" first replaces it instead.
  if (commands.length == 0 || commands[0] != "format") {
    const err = store.open();
    if (err !== null) {
      say("ERR open: " + err);
      return 2;
    }
  }
  let failed = false;
  for (let i = 0; i < commands.length; i++) if (!run(store, commands[i])) failed = true;
  return failed ? 2 : 0;
}
