import { describe, expect, it } from 'vitest';
import { errorSentence } from './format.ts';

describe('errors in words', () => {
  it('says an abort once', () => {
    const s = errorSentence('Aborted', 'The run was aborted.');
    expect(s).toBe('You stopped the run before it finished.');
    expect(s.match(/abort|stop/gi)).toHaveLength(1);
  });

  it('says why a run stopped when something else stopped it', () => {
    expect(errorSentence('Aborted', 'stopped because of LeafFailed in node find')).toBe(
      'Stopped because of LeafFailed in node find.',
    );
    expect(errorSentence('Aborted', 'the budget of 3 calls was reached')).toBe(
      'Stopped before it finished: the budget of 3 calls was reached.',
    );
  });

  it('puts the kind’s meaning before the message of other errors', () => {
    expect(errorSentence('LeafFailed', 'the server answered 500')).toBe(
      'The model call failed (after its retries). The server answered 500.',
    );
  });
});
