import type * as Comlink from 'comlink';
import type { LocalEnginesApi } from '../../../workers/models/index.ts';
import { runtimeClient } from '../../runtime/runtimeClient.ts';

/**
 * The runtime worker's in-browser engines. Comlink reaches a nested object's methods by path at run time,
 * but types a plain nested object as a promise of data; this names it as the remote it is.
 */
export function localEngines(): Comlink.Remote<LocalEnginesApi> {
  return runtimeClient().localEngines as unknown as Comlink.Remote<LocalEnginesApi>;
}
