import { useState, type FormEvent } from 'react';
import { api, errorMessage } from '../api/client';
import { useSession } from '../auth/session';

/** Shown after logging in with a password someone else chose: the backend allows nothing else until it is changed. */
export function ChangePasswordPage() {
  const { refresh, logout } = useSession();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api('/api/v1/auth/password', { method: 'PUT', body: { currentPassword, newPassword } });
      await refresh();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit} aria-labelledby="change-password-title">
        <h1 id="change-password-title">Choose your password</h1>
        <p className="muted">Your password was set by an administrator. Choose your own (at least 12 characters).</p>
        <label>
          Current password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={currentPassword}
            onChange={(e) => setCurrentPassword(e.target.value)}
          />
        </label>
        <label>
          New password
          <input
            type="password"
            autoComplete="new-password"
            required
            minLength={12}
            value={newPassword}
            onChange={(e) => setNewPassword(e.target.value)}
          />
        </label>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Change password'}
        </button>
        <button type="button" className="secondary" onClick={() => void logout()}>
          Log out
        </button>
      </form>
    </main>
  );
}
