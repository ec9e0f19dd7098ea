// The default console of a guest in a page: the browser's console, a line per
// console.log (guests write partial lines; a line is logged once it is complete).
export function browserConsole(log: (line: string) => void = console.log) {
  const decoder = new TextDecoder();
  let pending = "";
  return {
    write(bytes: Uint8Array): void {
      const lines = (pending + decoder.decode(bytes, { stream: true })).split("\n");
      pending = lines.pop()!;
      for (const line of lines) log(line);
    },
    /** Logs what is left of an unfinished last line. */
    flush(): void {
      pending += decoder.decode();
      if (pending !== "") log(pending);
      pending = "";
    },
  };
}
