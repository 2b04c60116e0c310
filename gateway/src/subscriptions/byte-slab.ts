/**
 * Copies small byte strings into shared chunks. The window keeps thousands of events of a few
 * hundred bytes: one allocation each would cost an ArrayBuffer and a backing store per event, and
 * keeping the Buffer kafkajs delivered would pin its whole fetch response. Chunks are filled in
 * arrival order and the window evicts in arrival order, so a chunk is freed (by the garbage
 * collector) soon after its last event left the window.
 */
export class ByteSlab {
  private chunk: Buffer;
  private used = 0;

  constructor(private readonly chunkBytes = 256 * 1024) {
    this.chunk = Buffer.allocUnsafeSlow(chunkBytes);
  }

  copy(bytes: Uint8Array): Buffer {
    // A large event gets its own allocation rather than wasting most of a chunk.
    if (bytes.length > this.chunkBytes / 4) return Buffer.from(bytes);
    if (this.used + bytes.length > this.chunkBytes) {
      this.chunk = Buffer.allocUnsafeSlow(this.chunkBytes);
      this.used = 0;
    }
    const copy = this.chunk.subarray(this.used, this.used + bytes.length);
    copy.set(bytes);
    this.used += bytes.length;
    return copy;
  }
}
