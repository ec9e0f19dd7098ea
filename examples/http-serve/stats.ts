// `http-serve ... stats`: the heap's statistics on the console once a second, measured
// after a full collection, so that an outside test can see that serving many
// connections leaves the heap as it was (tests/tcpip/tap-load.test.mjs). It adds a word
// to the command line and changes nothing on the network.
import { heap_in_use, heap_peak, NSEC_PER_SEC, puts } from "../../assembly";
import { StackService } from "../../assembly/tcpip";

export class HeapStats implements StackService {
  private next: u64 = 0;

  poll(now: u64): void {
    if (now < this.next) return;
    this.next = now + NSEC_PER_SEC;
    __collect();
    puts("heap in-use " + heap_in_use().toString() + " peak " + heap_peak().toString() + "\n");
  }

  pollAt(now: u64): u64 {
    return this.next;
  }
}
