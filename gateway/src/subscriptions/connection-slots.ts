/**
 * The long-lived connections the gateway holds for subscribers, whatever their transport
 * (graphql-ws sockets, Server-Sent Events and multipart HTTP streams): one cap for all of them,
 * and one per client address, so switching transports gives a client no more than its share.
 */
export class ConnectionSlots {
  private total = 0;
  private readonly byAddress = new Map<string, number>();

  constructor(
    private readonly maxConnections: number,
    private readonly maxPerAddress: number,
  ) {}

  count(): number {
    return this.total;
  }

  /** Whether one more connection is over the gateway's cap. */
  full(): boolean {
    return this.total >= this.maxConnections;
  }

  addressFull(address: string): boolean {
    return (this.byAddress.get(address) ?? 0) >= this.maxPerAddress;
  }

  /** Counts a connection of `address`; returns its release (idempotent). */
  take(address: string): () => void {
    this.total += 1;
    this.byAddress.set(address, (this.byAddress.get(address) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = (this.byAddress.get(address) ?? 1) - 1;
      if (left > 0) this.byAddress.set(address, left);
      else this.byAddress.delete(address);
    };
  }
}
