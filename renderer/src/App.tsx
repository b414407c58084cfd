import { useEffect, useState, type ReactNode } from 'react';
import { call } from './lib/api';
import { useResource } from './lib/use-resource';
import { Banner } from './components/Banner';
import { ConnectionsScreen } from './screens/ConnectionsScreen';
import { ActivityScreen } from './screens/ActivityScreen';

/** Screens by hash route, so a notification or tray click can open one directly. */
const SCREENS = {
  connections: { label: 'Connections', render: () => <ConnectionsScreen /> },
  activity: { label: 'Activity', render: () => <ActivityScreen /> },
} satisfies Record<string, { label: string; render: () => ReactNode }>;
type ScreenId = keyof typeof SCREENS;

function screenFromHash(): ScreenId {
  const id = window.location.hash.replace(/^#\/?/, '').split('?')[0] ?? '';
  return id in SCREENS ? (id as ScreenId) : 'connections';
}

export function App() {
  const [screen, setScreen] = useState<ScreenId>(screenFromHash);
  const info = useResource(() => call('app:info'));

  useEffect(() => {
    const onHash = () => setScreen(screenFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  return (
    <div className="app">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="brand__mark" aria-hidden="true">◆</span>
          <span>Vault Token Desk</span>
        </div>
        <ul>
          {(Object.keys(SCREENS) as ScreenId[]).map((id) => (
            <li key={id}>
              <a href={`#/${id}`} aria-current={screen === id ? 'page' : undefined} className="nav-link">
                {SCREENS[id].label}
              </a>
            </li>
          ))}
        </ul>
        <div className="sidebar__footer muted">{info.data ? `v${info.data.version}` : ''}</div>
      </nav>
      <main className="main">
        {info.data && !info.data.keychain.available ? (
          <Banner tone="warn" title="No OS keychain">
            {info.data.keychain.message}
          </Banner>
        ) : null}
        {SCREENS[screen].render()}
      </main>
    </div>
  );
}
