/**
 * The leaf cache of the terminal: answers kept on disk, shared by `fixpoint run` and `fixpoint batch`, so
 * re-running an unchanged plan, or resuming a batch, costs no model call for what was answered before.
 * It is the page's cache (workers/models/idb-cache.ts: memory first, writes gathered, entries checked on
 * the way back, the oldest dropped past a bound) over a folder instead of IndexedDB.
 *
 * Where: `--cache-dir DIR`, else `$FIXPOINT_CACHE_DIR`, else `$XDG_CACHE_HOME/fixpoint`, else
 * `%LOCALAPPDATA%\fixpoint\cache` on Windows, else `~/.cache/fixpoint`; answers go under `leaves/` there,
 * one small JSON file each. `--no-cache` or `FIXPOINT_CACHE_DIR=off` turns it off. Deleting the folder is
 * always safe.
 *
 * A key is never written: an answer that echoes the API key is stored with it replaced by `[redacted]`,
 * and file names are the content hashes of requests (which hold no key and no URL).
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { redactSecrets } from '../workers/lang/index.ts';
import { type CacheBackend, IdbLeafCache, type StoredAnswer } from '../workers/runtime/index.ts';

/** Answers kept on disk before the oldest are dropped (each a few KB at most). */
export const DISK_CACHE_ENTRIES = 100_000;

const KEY = /^leaf:([0-9a-f]{2})([0-9a-f]{6,62})$/;

export interface CacheLocation {
  /** The folder, or null when the cache is off. */
  dir: string | null;
  /** In words, for the summary: where it lives, or why there is none. */
  said: string;
}

/** Where the cache lives, from the option and the environment. */
export function cacheLocation(
  option: string | boolean | undefined,
  env: Record<string, string | undefined>,
): CacheLocation {
  if (option === false) return { dir: null, said: 'off (--no-cache)' };
  if (typeof option === 'string' && option !== '') return { dir: join(option, 'leaves'), said: option };
  const fromEnv = env.FIXPOINT_CACHE_DIR;
  if (fromEnv === 'off') return { dir: null, said: 'off (FIXPOINT_CACHE_DIR=off)' };
  const root =
    fromEnv ||
    (env.XDG_CACHE_HOME && join(env.XDG_CACHE_HOME, 'fixpoint')) ||
    (env.LOCALAPPDATA && join(env.LOCALAPPDATA, 'fixpoint', 'cache')) ||
    (env.HOME && join(env.HOME, '.cache', 'fixpoint'));
  if (!root) return { dir: null, said: 'off (no HOME, XDG_CACHE_HOME or FIXPOINT_CACHE_DIR to put it in)' };
  return { dir: join(root, 'leaves'), said: root };
}

/** The cache over `dir`; `secrets` never reach a file. Call `flush()` before the process ends. */
export function diskLeafCache(dir: string, secrets: readonly (string | undefined)[] = []): IdbLeafCache {
  return new IdbLeafCache({
    backend: diskBackend(dir, secrets),
    maxEntries: DISK_CACHE_ENTRIES,
    flushMs: 500,
  });
}

export function diskBackend(dir: string, secrets: readonly (string | undefined)[]): CacheBackend {
  const list = secrets.filter((s): s is string => typeof s === 'string' && s !== '');
  const pathOf = (key: string) => {
    const m = KEY.exec(key);
    return m ? join(dir, m[1]!, `${m[2]}.json`) : null;
  };
  const keysOnDisk = async (): Promise<{ key: string; path: string }[]> => {
    const out: { key: string; path: string }[] = [];
    let shards: string[];
    try {
      shards = await readdir(dir);
    } catch {
      return out;
    }
    for (const shard of shards) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      for (const name of await readdir(join(dir, shard)).catch(() => [] as string[])) {
        const m = /^([0-9a-f]{6,62})\.json$/.exec(name);
        if (m) out.push({ key: `leaf:${shard}${m[1]}`, path: join(dir, shard, name) });
      }
    }
    return out;
  };
  return {
    async get(key) {
      const path = pathOf(key);
      if (!path) return undefined;
      try {
        return JSON.parse(await readFile(path, 'utf8')) as unknown;
      } catch {
        // Missing or damaged: a miss (the cache checks what it gets anyway).
        return undefined;
      }
    },
    async setMany(items) {
      for (const [key, answer] of items) {
        const path = pathOf(key);
        if (!path) continue;
        const safe: StoredAnswer = list.length ? redactSecrets(answer, list).value : answer;
        await mkdir(join(path, '..'), { recursive: true });
        // Written whole, then renamed: a process killed mid-write leaves no half answer under the key.
        const tmp = `${path}.${process.pid}.tmp`;
        await writeFile(tmp, JSON.stringify(safe), 'utf8');
        await rename(tmp, path);
      }
    },
    async entries() {
      const out: [string, unknown][] = [];
      for (const { key, path } of await keysOnDisk()) {
        try {
          out.push([key, JSON.parse(await readFile(path, 'utf8'))]);
        } catch {
          out.push([key, undefined]);
        }
      }
      return out;
    },
    async ages() {
      const out: [string, number][] = [];
      for (const { key, path } of await keysOnDisk()) {
        const info = await stat(path).catch(() => null);
        out.push([key, info?.mtimeMs ?? 0]);
      }
      return out;
    },
    async delMany(keys) {
      for (const key of keys) {
        const path = pathOf(key);
        if (path) await rm(path, { force: true });
      }
    },
    async clear() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
