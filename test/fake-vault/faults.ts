/**
 * Per-route fault injection: network trouble and Vault-side failures on demand.
 */
import type { RequestAuthKind } from './types';

export type Fault =
  /** Wait `ms` (real time), then answer normally. Stacks with other faults. */
  | { kind: 'latency'; ms: number }
  /** Destroy the socket without a response. */
  | { kind: 'drop' }
  /** HTTP 500 with an HTML body (a proxy / load balancer failure). */
  | { kind: 'html500' }
  /** HTTP 200, JSON content type, truncated body. */
  | { kind: 'malformedJson' }
  /** FAILURE INVALID_SESSION_ID whatever the credential. */
  | { kind: 'invalidSession' }
  /** FAILURE API_LIMIT_EXCEEDED (on /auth also with the top-level errorType). */
  | { kind: 'apiLimit' }
  /** A login (POST …/auth only) that succeeds but lands in Vault `vaultId`. Ignored on other routes. */
  | { kind: 'otherVault'; vaultId: number }
  /** FAILURE with this error. */
  | { kind: 'vaultError'; type: string; message: string };

export interface FaultMatch {
  vaultId?: number;
  /** Compared case-insensitively with the HTTP method or the `_method` override. */
  method?: string;
  /** RegExp tested against the path (no query string); a string matches the whole path or its end (e.g. '/auth'). */
  path?: RegExp | string;
  /** What the Authorization header carries: e.g. 'token' hits only calls signed with an API access token. */
  auth?: RequestAuthKind;
}

export interface FaultRule {
  readonly id: number;
  readonly match: FaultMatch;
  readonly fault: Fault;
  /** Left to apply; Infinity until cleared. */
  remaining: number;
  hits: number;
}

export interface FaultRequest {
  vaultId: number;
  method: string;
  effectiveMethod: string;
  path: string;
  isAuth: boolean;
  /** What the Authorization header carried; unknown (undefined) matches no `auth` rule. */
  auth?: RequestAuthKind;
}

export interface TakenFaults {
  latencyMs: number;
  terminal: Fault | null;
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private nextId = 1;

  /**
   * Adds a rule. `times` defaults to Infinity (until `clear()` / `remove()`).
   * Rules apply in injection order: all matching latencies add up, then the
   * first matching non-latency fault answers.
   */
  inject(match: FaultMatch, fault: Fault, opts: { times?: number } = {}): FaultRule {
    const rule: FaultRule = { id: this.nextId++, match, fault, remaining: opts.times ?? Infinity, hits: 0 };
    this.rules.push(rule);
    return rule;
  }

  remove(rule: FaultRule): void {
    this.rules = this.rules.filter((r) => r.id !== rule.id);
  }

  clear(): void {
    this.rules = [];
  }

  get active(): readonly FaultRule[] {
    return this.rules.filter((r) => r.remaining > 0);
  }

  /** Consumes the faults that apply to a request. Used by the server. */
  take(req: FaultRequest): TakenFaults {
    let latencyMs = 0;
    let terminal: Fault | null = null;
    for (const rule of this.rules) {
      if (rule.remaining <= 0 || !matches(rule.match, req)) continue;
      if (rule.fault.kind === 'latency') {
        latencyMs += rule.fault.ms;
      } else if (terminal) {
        continue;
      } else if (rule.fault.kind === 'otherVault' && !req.isAuth) {
        continue;
      } else {
        terminal = rule.fault;
      }
      rule.remaining -= 1;
      rule.hits += 1;
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return { latencyMs, terminal };
  }
}

function matches(m: FaultMatch, req: FaultRequest): boolean {
  if (m.vaultId !== undefined && m.vaultId !== req.vaultId) return false;
  if (m.auth !== undefined && m.auth !== req.auth) return false;
  if (m.method !== undefined) {
    const want = m.method.toUpperCase();
    if (want !== req.method && want !== req.effectiveMethod) return false;
  }
  if (m.path !== undefined) {
    if (typeof m.path === 'string') {
      if (req.path !== m.path && !req.path.endsWith(m.path)) return false;
    } else {
      m.path.lastIndex = 0;
      if (!m.path.test(req.path)) return false;
    }
  }
  return true;
}
