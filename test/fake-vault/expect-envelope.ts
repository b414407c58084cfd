/** Vitest assertions on Vault's response envelope (docs/vault-api.md §5.1), shared by the fake's suites. */
import { expect } from 'vitest';
import type { Json } from './test-support';

/** A FAILURE envelope whose first error has this type. */
export function expectFailure(body: Json, type: string): void {
  expect(body.responseStatus).toBe('FAILURE');
  expect(body.errors?.[0]?.type).toBe(type);
}
