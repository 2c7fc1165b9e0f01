/**
 * A response body that is already JSON text (history jobs are stored serialized). The endpoint
 * layer sends `text` as is; anything that serializes it again gets the same value back.
 */
export class JsonText {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/**
 * A JSON response body made piece by piece (a large history search). The endpoint layer sends
 * each piece as it is made and lets the event loop run before the next, so a large body neither
 * holds other requests up nor sits in memory whole.
 */
export class JsonStream {
  constructor(private readonly pieces: () => Iterator<string>) {}

  /** The pieces as a byte stream, each made after a turn of the event loop. */
  toReadable(): ReadableStream<Uint8Array> {
    const it = this.pieces();
    return new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          await new Promise((resolve) => setImmediate(resolve));
          const next = it.next();
          if (next.done) controller.close();
          else controller.enqueue(Buffer.from(next.value));
        },
        cancel() {
          it.return?.();
        },
      },
      { highWaterMark: 0 },
    );
  }

  /** The whole text (for callers that serialize it again, and tests). */
  text(): string {
    let out = "";
    for (let it = this.pieces(), next = it.next(); !next.done; next = it.next()) out += next.value;
    return out;
  }

  toJSON(): unknown {
    return JSON.parse(this.text());
  }
}
