/** What every IdP endpoint sees: its state and the test-only faults. */
import type { IdpStore } from './idp-store';

/** Test-only switches, all off by default (see FakeIdp in ./types.ts). */
export interface IdpFaults {
  down: boolean;
  wrongState: boolean;
  authorizeError: string | null;
  /** Read by the login host's OAuth session endpoint. */
  refuseAtVault: boolean;
}

export interface IdpContext {
  store: IdpStore;
  faults: IdpFaults;
}

export function noFaults(): IdpFaults {
  return { down: false, wrongState: false, authorizeError: null, refuseAtVault: false };
}
