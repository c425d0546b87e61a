import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, forgetOldToken, onUnauthorized } from '../api/client';
import type { CurrentSession, LoginResponse, Me, Workspace } from '../api/types';

interface Session {
  user: Me | null;
  checking: boolean;
  workspaces: Workspace[];
  workspace: Workspace | null;
  selectWorkspace: (id: string) => void;
  reloadWorkspaces: () => Promise<void>;
  login: (email: string, password: string) => Promise<void>;
  /** Reads who is logged in and their workspaces again (after a password change). */
  refresh: () => Promise<void>;
  logout: () => Promise<void>;
  /** Ends every session of the account (other browsers and devices too), then this one; rejects if the server did not. */
  logoutEverywhere: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);
const WORKSPACE_KEY = 'eventpipe.workspace';

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<Me | null>(null);
  // the session is an HttpOnly cookie this code cannot see: the server says at start whether there is one
  const [checking, setChecking] = useState(true);
  const [workspaces, setWorkspaces] = useState<Workspace[]>([]);
  const [workspaceId, setWorkspaceId] = useState<string | null>(localStorage.getItem(WORKSPACE_KEY));
  const queries = useQueryClient();

  const reloadWorkspaces = useCallback(async () => {
    const list = await api<Workspace[]>('/api/v1/workspaces');
    setWorkspaces(list);
  }, []);

  // the server has ended the session (and cleared its cookie); this drops what the page still shows of it
  const forget = useCallback(() => {
    setUser(null);
    setWorkspaces([]);
    queries.clear(); // the next user must not see this one's data
  }, [queries]);

  useEffect(() => {
    onUnauthorized(forget);
    return () => onUnauthorized(null);
  }, [forget]);

  // a person who must change their password may read nothing else, so workspaces are read only afterwards
  const refresh = useCallback(async () => {
    const me = await api<Me>('/api/v1/auth/me');
    setWorkspaces(me.mustChangePassword ? [] : await api<Workspace[]>('/api/v1/workspaces'));
    setUser(me);
  }, []);

  // answered 200 with or without a session, so that an anonymous visit makes no failed call
  useEffect(() => {
    forgetOldToken(); // what the app before the cookie left behind
    api<CurrentSession>('/api/v1/auth/session')
      .then(async ({ user: me }) => {
        if (!me) return;
        setWorkspaces(me.mustChangePassword ? [] : await api<Workspace[]>('/api/v1/workspaces'));
        setUser(me);
      })
      .catch(() => forget())
      .finally(() => setChecking(false));
  }, [forget]);

  const login = useCallback(async (email: string, password: string) => {
    // the answer sets the session cookie; its body carries no token for the web app
    const response = await api<LoginResponse>('/api/v1/auth/login', { method: 'POST', body: { email, password } });
    setWorkspaces(response.user.mustChangePassword ? [] : await api<Workspace[]>('/api/v1/workspaces'));
    setUser(response.user);
  }, []);

  const logout = useCallback(async () => {
    try {
      await api('/api/v1/auth/logout', { method: 'POST' });
    } catch {
      // the session may already be gone (its cookie is then cleared by the server's 401); what the page shows goes
    }
    forget();
  }, [forget]);

  // unlike logout, a failure is not swallowed: the person must not believe their other sessions ended when they did
  // not (a 401 means this one is gone already, and the api client forgets it)
  const logoutEverywhere = useCallback(async () => {
    await api('/api/v1/auth/logout-all', { method: 'POST' });
    forget();
  }, [forget]);

  const selectWorkspace = useCallback((id: string) => {
    localStorage.setItem(WORKSPACE_KEY, id);
    setWorkspaceId(id);
  }, []);

  const workspace = useMemo(
    () => workspaces.find((w) => w.id === workspaceId) ?? workspaces[0] ?? null,
    [workspaces, workspaceId],
  );

  const value = useMemo(
    () => ({
      user,
      checking,
      workspaces,
      workspace,
      selectWorkspace,
      reloadWorkspaces,
      login,
      refresh,
      logout,
      logoutEverywhere,
    }),
    [user, checking, workspaces, workspace, selectWorkspace, reloadWorkspaces, login, refresh, logout, logoutEverywhere],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The selected workspace; pages under the app shell are only rendered once there is one. */
export function useWorkspace(): Workspace {
  const { workspace } = useSession();
  if (!workspace) throw new Error('no workspace selected');
  return workspace;
}
