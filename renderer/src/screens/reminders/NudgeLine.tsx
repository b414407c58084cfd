import { call } from '../../lib/api';
import { count } from '../../lib/format';
import { useResource } from '../../lib/use-resource';

/**
 * "N tokens not used in 90 days · M never expire" (issue 16, item 4), each a link to the inventory
 * with that filter. The counts are main's (tokens:query, one row asked for: only its total is
 * read), so they are the inventory's own.
 */
export function NudgeLine() {
  const nudges = useResource(
    async () => {
      const [settings, stale, never] = await Promise.all([
        call('settings:get'),
        call('tokens:query', { stale: true, offset: 0, limit: 1 }),
        call('tokens:query', { neverExpires: true, offset: 0, limit: 1 }),
      ]);
      return { days: settings.settings.staleAfterDays, stale: stale.total, never: never.total };
    },
    [],
    { refreshOn: ['tokens:changed', 'reminders:changed'] },
  );
  const n = nudges.data;
  if (!n || (n.stale === 0 && n.never === 0)) return null;
  return (
    <p className="rem-small rem-nudges" data-testid="nudge-line">
      <a href="#/inventory?nudge=stale">
        {count(n.stale)} {n.stale === 1 ? 'token' : 'tokens'} not used in {count(n.days)} days
      </a>
      <span aria-hidden="true"> · </span>
      <a href="#/inventory?nudge=never-expires">
        {count(n.never)} never {n.never === 1 ? 'expires' : 'expire'}
      </a>
    </p>
  );
}
