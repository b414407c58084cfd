/**
 * "Test all" (issue 13, item 4): the read-only capability check on every connection, four at a
 * time, each connection's outcome kept by id. Connections that would need a secret typed are
 * skipped with the reason instead of opening forty prompts.
 */
import { useCallback, useRef, useState } from 'react';
import type { Connection } from '../../../../shared/domain';
import { call, errorInfo } from '../../lib/api';
import type { RowTest } from './connection-health';

const AT_ONCE = 4;

const NEED_WORDS = {
  missing: 'no saved password or token: test it on its own to enter one',
  refused: 'Vault refused the saved secret: replace it first',
  session: 'session ids are asked for each run: test it on its own',
} as const;

export function useConnectionTests() {
  const [tests, setTests] = useState<Record<string, RowTest>>({});
  const [runningAll, setRunningAll] = useState(false);
  const cancelled = useRef(false);

  const set = useCallback((id: string, test: RowTest) => setTests((t) => ({ ...t, [id]: test })), []);

  const testOne = useCallback(
    async (c: Connection, secret?: string): Promise<RowTest> => {
      set(c.id, { phase: 'running' });
      let outcome: RowTest;
      try {
        const result = await call('connections:test', secret ? { id: c.id, secret } : { id: c.id });
        outcome = {
          phase: 'ok',
          at: Date.now(),
          checksRefused: result.checks.filter((x) => x.status === 'no').length,
          result,
        };
      } catch (error) {
        outcome = { phase: 'failed', at: Date.now(), error: errorInfo(error) };
      }
      set(c.id, outcome);
      return outcome;
    },
    [set],
  );

  const testAll = useCallback(
    async (connections: Connection[]) => {
      setRunningAll(true);
      cancelled.current = false;
      try {
        const needs = await call('connections:needs-secret', { ids: connections.map((c) => c.id) });
        const skip = new Map(needs.map((n) => [n.connectionId, NEED_WORDS[n.reason]]));
        const queue = connections.filter((c) => {
          const reason = skip.get(c.id);
          if (reason) set(c.id, { phase: 'skipped', reason });
          return !reason;
        });
        const worker = async () => {
          for (let c = queue.shift(); c && !cancelled.current; c = queue.shift()) await testOne(c);
        };
        await Promise.all(Array.from({ length: Math.min(AT_ONCE, queue.length) }, worker));
      } finally {
        setRunningAll(false);
      }
    },
    [set, testOne],
  );

  return { tests, testOne, testAll, runningAll, stopAll: () => (cancelled.current = true) };
}
