/**
 * A one-consumer queue of text pieces that is also an async iterator: the producer pushes
 * as a model writes, the consumer reads at its own pace, and a failure reaches the reader.
 */
export interface TextChannel extends AsyncIterable<string> {
  push(text: string): void;
  end(): void;
  fail(error: unknown): void;
}

export function createTextChannel(): TextChannel {
  const queue: string[] = [];
  let finished = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };

  return {
    push(text) {
      if (finished || !text) return;
      queue.push(text);
      notify();
    },
    end() {
      finished = true;
      notify();
    },
    fail(error) {
      if (finished) return;
      failure = { error };
      finished = true;
      notify();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (queue.length > 0) {
          yield queue.shift()!;
          continue;
        }
        if (failure) throw failure.error;
        if (finished) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
  };
}
