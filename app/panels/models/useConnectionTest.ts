import { useState } from 'react';
import type { ConnectionReport, ModelConfig } from '../../../workers/models/index.ts';
import { runtimeClient } from '../../runtime/runtimeClient.ts';

/**
 * "Test connection" for one endpoint: lists its models and asks for one tiny completion, in the runtime
 * worker (the code that will run the leaves). The report says what happened in words, never with a key.
 */
type ApiConfig = Extract<ModelConfig, { engine: 'openai' }>;

export function useConnectionTest() {
  const [testing, setTesting] = useState(false);
  const [report, setReport] = useState<Pick<ConnectionReport, 'ok' | 'message'> | null>(null);
  const test = async (config: ApiConfig) => {
    setTesting(true);
    setReport(null);
    try {
      setReport(await runtimeClient().testConnection(config));
    } catch (error) {
      setReport({ ok: false, message: error instanceof Error ? error.message : String(error) });
    } finally {
      setTesting(false);
    }
  };
  return { testing, report, test };
}
