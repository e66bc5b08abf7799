import { useState } from 'react';
import type { ConnectionReport, ModelConfig } from '../../../workers/models/index.ts';
import { runtimeClient } from '../../runtime/runtimeClient.ts';

/**
 * "Test connection" for one endpoint: lists its models and asks for one tiny completion, in the runtime
 * worker (the code that will run the leaves). The report says what happened in words, never with a key.
 */
type ApiConfig = Extract<ModelConfig, { engine: 'openai' }>;

/** A report as shown: a failure to ask at all has only a sentence. */
export type ShownReport = Pick<ConnectionReport, 'ok' | 'message'> &
  Partial<Pick<ConnectionReport, 'verdict' | 'checks' | 'models'>>;

export function useConnectionTest() {
  const [testing, setTesting] = useState(false);
  const [report, setReport] = useState<ShownReport | null>(null);
  /** Resolves to the full report when the server was asked, undefined when the asking itself failed. */
  const test = async (config: ApiConfig): Promise<ConnectionReport | undefined> => {
    setTesting(true);
    setReport(null);
    try {
      const r = await runtimeClient().testConnection(config);
      setReport(r);
      return r;
    } catch (error) {
      setReport({ ok: false, message: error instanceof Error ? error.message : String(error) });
      return undefined;
    } finally {
      setTesting(false);
    }
  };
  return { testing, report, test };
}
