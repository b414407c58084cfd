/**
 * Every action the code records has a label people read (issue 13 item 8). The actions are
 * found in the source, not listed by hand: every quoted `domain.verb` literal in electron/, plus
 * the two actions built from a template (`${auditAction}.failed` for each revoke action, and
 * `token.${purpose}-declined` for each reveal purpose). A new action without a label, or a new
 * template this test does not know, fails here.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AUDIT_LABELS, auditActionsByCategory, auditLabel, readableDetail } from '../../shared/audit-labels';

const ELECTRON = resolve(__dirname, '../../electron');
const DOMAINS = 'connection|connections|token|tokens|reminder|reminders|settings|calendar|app|audit';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

const sources = sourceFiles(ELECTRON).map((path) => ({ path, text: readFileSync(path, 'utf8') }));

/** Every `'token.rotate.revoke-old'`-shaped literal: actions are passed around (revoke(ids, 'token.rotate.revoke-old')), not only written after `action:`. */
function literalActions(): Set<string> {
  const found = new Set<string>();
  const literal = new RegExp(`['"]((?:${DOMAINS})\\.[a-z][a-z0-9-]*(?:\\.[a-z][a-z0-9-]*)*)['"]`, 'g');
  for (const { text } of sources) {
    for (const line of text.split('\n')) {
      // Settings keys share the dotted shape (`key: 'reminders.thresholds'`) but are not actions.
      if (/\bkey:\s*['"]/.test(line)) continue;
      for (const m of line.matchAll(literal)) found.add(m[1]!);
    }
  }
  return found;
}

/** Template actions: each one this test knows how to expand, and a failure for any other. */
function templateActions(literals: Set<string>): { expanded: Set<string>; unknown: string[] } {
  const expanded = new Set<string>();
  const unknown: string[] = [];
  for (const { path, text } of sources) {
    for (const m of text.matchAll(/action:\s*`([^`]*)`/g)) {
      const template = m[1]!;
      if (template === '${auditAction}.failed') {
        // Every action revoke() records under: its default and what callers pass (the rotation's).
        const revokeActions = [
          'token.revoke',
          ...[...text.matchAll(/\.revoke\([^)]*'([a-z.-]+)'\)/g)].map((r) => r[1]!),
        ];
        for (const a of revokeActions) expanded.add(`${a}.failed`);
      } else if (template === 'token.${purpose}-declined') {
        for (const purpose of ['reveal', 'copy']) expanded.add(`token.${purpose}-declined`);
      } else unknown.push(`${path}: ${template}`);
    }
  }
  for (const a of expanded) literals.add(a);
  return { expanded, unknown };
}

describe('Activity labels', () => {
  const literals = literalActions();
  const { expanded, unknown } = templateActions(literals);

  it('finds the actions the code records (the scan itself works)', () => {
    for (const known of [
      'token.generate',
      'token.rotate.revoke-old',
      'connection.test',
      'tokens.sync',
      'reminder.snooze',
    ])
      expect(literals).toContain(known);
    expect(expanded).toContain('token.rotate.revoke-old.failed');
    expect(expanded).toContain('token.copy-declined');
    expect(literals.size).toBeGreaterThan(25);
  });

  it('has no action template it cannot expand', () => {
    expect(unknown).toEqual([]);
  });

  it('labels every action the code records', () => {
    const missing = [...literals].filter((a) => !Object.prototype.hasOwnProperty.call(AUDIT_LABELS, a));
    expect(missing, `add these to shared/audit-labels.ts: ${missing.join(', ')}`).toEqual([]);
  });

  it('reads as words, not as the raw action', () => {
    expect(auditLabel('token.rotate.revoke-old').label).toBe('Rotated: old token revoked');
    for (const [action, { label }] of Object.entries(AUDIT_LABELS)) {
      expect(label).not.toBe(action);
      expect(label).not.toMatch(/^[a-z]+\.[a-z]/);
    }
    // An action from another version of the app still reads as words.
    expect(auditLabel('token.frobnicate-all').label).toBe('Token: frobnicate all');
  });

  it('offers every labelled action once in the filter, grouped', () => {
    const offered = auditActionsByCategory().flatMap((g) => g.actions);
    expect([...offered].sort()).toEqual(Object.keys(AUDIT_LABELS).sort());
  });

  it('names a user where the inventory knows them', () => {
    const entry = {
      detail: '“Nightly ETL” for user 100204',
      mentionedUser: { userId: '100204', userName: 'Ana Okafor' },
    };
    expect(readableDetail(entry)).toBe('“Nightly ETL” for Ana Okafor');
    expect(readableDetail({ ...entry, mentionedUser: null })).toBe('“Nightly ETL” for user 100204');
  });
});
