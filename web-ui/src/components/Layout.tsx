import { useState } from 'react';
import { NavLink, Outlet } from 'react-router';
import { errorMessage } from '../api/client';
import { useSession } from '../auth/session';

const LINKS = [
  ['/sources', 'Sources'],
  ['/destinations', 'Destinations'],
  ['/transformations', 'Transformations'],
  ['/live', 'Live events'],
  ['/dashboard', 'Delivery'],
  ['/failed', 'Failed events'],
  ['/events', 'Event debugger'],
  ['/warehouse', 'Warehouse'],
  ['/archive', 'Archive'],
  ['/status', 'Health'],
] as const;

export function Layout() {
  const { user, workspaces, workspace, selectWorkspace, logout, logoutEverywhere } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">eventpipe</span>
        <button
          type="button"
          className="menu-toggle secondary small"
          aria-expanded={menuOpen}
          aria-controls="nav"
          onClick={() => setMenuOpen((o) => !o)}
        >
          Menu
        </button>
        <label className="workspace-switcher">
          <span className="visually-hidden">Workspace</span>
          <select
            aria-label="Workspace"
            value={workspace?.id ?? ''}
            onChange={(e) => selectWorkspace(e.target.value)}
          >
            {workspaces.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </label>
        <span className="user muted">{user?.email}</span>
        <button type="button" className="secondary small" onClick={() => void logout()}>
          Log out
        </button>
        <button
          type="button"
          className="secondary small"
          title="Ends your sessions in every browser and device, this one included"
          onClick={() =>
            logoutEverywhere().catch((e: unknown) =>
              window.alert(`Your other sessions may still be open: ${errorMessage(e)}`),
            )
          }
        >
          Log out everywhere
        </button>
      </header>
      <nav id="nav" className={menuOpen ? 'nav open' : 'nav'} aria-label="Main">
        {LINKS.map(([to, label]) => (
          <NavLink key={to} to={to} onClick={() => setMenuOpen(false)}>
            {label}
          </NavLink>
        ))}
      </nav>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
