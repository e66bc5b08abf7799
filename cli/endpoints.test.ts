import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEndpoints } from './endpoints.ts';

const dir = mkdtempSync(join(tmpdir(), 'fixpoint-endpoints-'));
function file(name: string, json: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json));
  return path;
}

describe('readEndpoints', () => {
  it('pairs one --model and --api-key-env per --base-url, or shares a single one', () => {
    const env = { KEY_A: 'sk-a-000000', KEY_B: 'sk-b-111111' };
    const paired = readEndpoints(
      {
        baseUrl: ['http://a:8000/v1', 'http://b:8000/v1'],
        model: ['m-a', 'm-b'],
        apiKeyEnv: ['KEY_A', 'KEY_B'],
        concurrency: 6,
        requestsPerMinute: 100,
      },
      env,
    );
    expect(paired.endpoints).toEqual([
      {
        baseUrl: 'http://a:8000/v1',
        model: 'm-a',
        apiKey: 'sk-a-000000',
        concurrency: 6,
        requestsPerMinute: 100,
      },
      {
        baseUrl: 'http://b:8000/v1',
        model: 'm-b',
        apiKey: 'sk-b-111111',
        concurrency: 6,
        requestsPerMinute: 100,
      },
    ]);
    expect(paired.keys).toEqual(['sk-a-000000', 'sk-b-111111']);

    const shared = readEndpoints(
      { baseUrl: ['http://a/v1', 'http://b/v1'], model: 'm', concurrency: 4 },
      env,
    );
    expect(shared.endpoints.map((e) => e.model)).toEqual(['m', 'm']);
    expect(shared.keys).toEqual([]);

    expect(() =>
      readEndpoints(
        { baseUrl: ['http://a/v1', 'http://b/v1', 'http://c/v1'], model: ['m', 'n'], concurrency: 4 },
        env,
      ),
    ).toThrow(/give --model once for every endpoint, or once for each --base-url in order \(3\); got 2/);
  });

  it('reads an endpoints file: weights, concurrency and limits per endpoint, the file’s model as default', () => {
    const path = file('fleet.json', {
      model: 'Qwen/Qwen3-8B',
      endpoints: [
        { baseUrl: 'http://gpu-1:8000/v1', weight: 2, concurrency: 32 },
        {
          baseUrl: 'https://api.example/v1',
          model: 'qwen/qwen3-8b',
          apiKeyEnv: 'HOSTED',
          requestsPerMinute: 60,
        },
      ],
    });
    const read = readEndpoints({ endpoints: path, concurrency: 4 }, { HOSTED: 'sk-hosted-222222' });
    expect(read.endpoints).toEqual([
      { baseUrl: 'http://gpu-1:8000/v1', model: 'Qwen/Qwen3-8B', weight: 2, concurrency: 32 },
      {
        baseUrl: 'https://api.example/v1',
        model: 'qwen/qwen3-8b',
        apiKey: 'sk-hosted-222222',
        concurrency: 4,
        requestsPerMinute: 60,
      },
    ]);
    expect(read.keys).toEqual(['sk-hosted-222222']);
  });

  it('refuses a key in the file without repeating it, unknown fields, and missing variables', () => {
    const withKey = file('key.json', [{ baseUrl: 'http://a/v1', model: 'm', apiKey: 'sk-never-shown-333' }]);
    let message = '';
    try {
      readEndpoints({ endpoints: withKey, concurrency: 4 }, {});
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/keys are read only from environment variables/);
    expect(message).not.toContain('sk-never-shown-333');

    const typo = file('typo.json', [{ baseUrl: 'http://a/v1', model: 'm', wieght: 2 }]);
    expect(() => readEndpoints({ endpoints: typo, concurrency: 4 }, {})).toThrow(/typo.json at 0: .*wieght/i);
    const zero = file('zero.json', [{ baseUrl: 'http://a/v1', model: 'm', weight: 0 }]);
    expect(() => readEndpoints({ endpoints: zero, concurrency: 4 }, {})).toThrow(/zero.json at 0.weight/);
    const needsVar = file('var.json', [{ baseUrl: 'http://a/v1', model: 'm', apiKeyEnv: 'NOT_SET_HERE' }]);
    expect(() => readEndpoints({ endpoints: needsVar, concurrency: 4 }, {})).toThrow(
      /NOT_SET_HERE .* is not set/,
    );
    expect(() => readEndpoints({ endpoints: file('bad.json', '{ nope'), concurrency: 4 }, {})).toThrow(
      /not JSON/,
    );
    expect(() => readEndpoints({ concurrency: 4 }, {})).toThrow(/missing --base-url/);
  });
});
