/**
 * A one-slot lock. Local engines run one generation at a time: web-llm interleaves concurrent requests
 * to one model into garbage (mlc-ai/web-llm#522) and llama.cpp in WASM has one context. The scheduler
 * already limits calls to the model's `concurrency`, but a second run or a "try it" from the settings
 * panel may share the engine.
 */
export class OneAtATime {
  private tail: Promise<void> = Promise.resolve();

  async run<T>(task: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      await previous;
      return await task();
    } finally {
      release();
    }
  }
}
