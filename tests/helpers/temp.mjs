// Temporary folders for a test file, removed after its last test (jest's afterAll; elsewhere at exit),
// tmpfs mounts in them unmounted first. The run's global check (leftovers.mjs)
// fails a run that leaves anything in the temp folder, so every test and helper
// makes its temporary files here.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const folders = [];
const mounts = [];

/** Removes `dir`; files a test made immutable (chattr +i: a file root cannot write) are made mutable first. */
function remove(dir) {
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    execFileSync("chattr", ["-R", "-i", dir], { stdio: "ignore" });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function removeAll() {
  for (const dir of mounts.splice(0).reverse()) execFileSync("umount", [dir]);
  for (const dir of folders.splice(0)) remove(dir);
}
// Outside jest (a bench, a child process's script): at exit.
if (typeof afterAll === "function") afterAll(removeAll);
else process.on("exit", removeAll);

/** A new empty folder in the temp folder, named PREFIX-XXXXXX, removed after this file's tests. */
export function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  folders.push(dir);
  return dir;
}

/**
 * A tmpfs of `size` bytes mounted on a new temp folder (unmounted and removed after
 * this file's tests); null when this process may not mount.
 */
export function tinyFileSystem(size) {
  const dir = tempDir("solo5-tmpfs");
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], { stdio: "ignore" });
  } catch {
    return null;
  }
  mounts.push(dir);
  return dir;
}
