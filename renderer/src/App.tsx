import { useEffect, type ReactNode } from 'react';
import { call, on } from './lib/api';
import { useResource } from './lib/use-resource';
import { useHashRoute } from './lib/hash-route';
import { UnlockProvider } from './lib/unlock';
import { Banner } from './components/Banner';
import { InventoryScreen } from './screens/InventoryScreen';
import { ConnectionsScreen } from './screens/ConnectionsScreen';
import { ActivityScreen } from './screens/ActivityScreen';
import { RemindersScreen } from './screens/RemindersScreen';
import { SettingsScreen } from './screens/SettingsScreen';

/** Screens by hash route, so a notification or tray click can open one directly. */
const SCREENS = {
  inventory: { label: 'Inventory', render: () => <InventoryScreen /> },
  reminders: { label: 'Reminders', render: () => <RemindersScreen /> },
  connections: { label: 'Connections', render: () => <ConnectionsScreen /> },
  activity: { label: 'Activity', render: () => <ActivityScreen /> },
  settings: { label: 'Settings', render: () => <SettingsScreen /> },
} satisfies Record<string, { label: string; render: () => ReactNode }>;
type ScreenId = keyof typeof SCREENS;
const DEFAULT_SCREEN: ScreenId = 'inventory';

export function App() {
  const route = useHashRoute();
  const screen: ScreenId = route.screen in SCREENS ? (route.screen as ScreenId) : DEFAULT_SCREEN;
  const info = useResource(() => call('app:info'));

  // Main may ask for a screen (notification, tray, second launch with a link).
  useEffect(
    () =>
      on('app:navigate', ({ hash }) => {
        if (/^#\/[a-z]+(\?[\w=,&%-]*)?$/.test(hash)) window.location.hash = hash;
      }),
    [],
  );

  return (
    <UnlockProvider>
      <div className="app">
        <nav className="sidebar" aria-label="Main">
          <div className="brand">
            <span className="brand__mark" aria-hidden="true">
              ◆
            </span>
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
    </UnlockProvider>
  );
}
