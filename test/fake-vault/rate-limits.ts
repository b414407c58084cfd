/**
 * docs/vault-api.md §5.3: burst limit per Vault in fixed windows (delay, never
 * fail), and the auth burst limit per username+DNS per minute (delay from
 * 50 %, fail at the limit until the next minute).
 */
import type { ResolvedOptions } from './options';

export interface BurstVerdict {
  limit: number;
  remaining: number;
  /** 0 unless this call is over the limit. */
  delayMs: number;
}

export interface AuthVerdict {
  count: number;
  limit: number;
  delayMs: number;
  refused: boolean;
}

const MINUTE = 60_000;

export class RateLimits {
  private burst = new Map<number, { window: number; count: number }>();
  private auth = new Map<string, { window: number; count: number }>();

  constructor(private readonly options: ResolvedOptions) {}

  /** Counts one call on a Vault. */
  hitVault(vaultId: number): BurstVerdict {
    const { burstLimit: limit, burstWindowMs, burstDelayMs } = this.options;
    const window = Math.floor(this.options.now().getTime() / burstWindowMs);
    let entry = this.burst.get(vaultId);
    if (!entry || entry.window !== window) {
      entry = { window, count: 0 };
      this.burst.set(vaultId, entry);
    }
    entry.count += 1;
    return {
      limit,
      remaining: Math.max(0, limit - entry.count),
      delayMs: entry.count > limit ? burstDelayMs : 0,
    };
  }

  /** Current state of a Vault's window without counting. */
  peekVault(vaultId: number): BurstVerdict {
    const { burstLimit: limit, burstWindowMs } = this.options;
    const window = Math.floor(this.options.now().getTime() / burstWindowMs);
    const entry = this.burst.get(vaultId);
    const count = entry && entry.window === window ? entry.count : 0;
    return { limit, remaining: Math.max(0, limit - count), delayMs: 0 };
  }

  /** Counts one /auth call for username+DNS. */
  hitAuth(username: string, dns: string): AuthVerdict {
    const limit = this.options.authBurstLimit;
    const key = `${username.toLowerCase()}|${dns.toLowerCase()}`;
    const window = Math.floor(this.options.now().getTime() / MINUTE);
    let entry = this.auth.get(key);
    if (!entry || entry.window !== window) {
      entry = { window, count: 0 };
      this.auth.set(key, entry);
    }
    entry.count += 1;
    const refused = entry.count > limit;
    const delayMs = !refused && entry.count > limit / 2 ? this.options.authBurstDelayMs : 0;
    return { count: entry.count, limit, delayMs, refused };
  }
}
