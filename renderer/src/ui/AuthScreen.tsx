import { useState, type FormEvent, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS, codePointLength } from '../../../protocol/limits';
import type { AuthResult } from '../../../protocol';
import { login, register } from '../wire/http-api';
import { TEST_IDS } from '../../test-ids';
import { SettingsControls } from './SettingsControls';

type Mode = 'sign-in' | 'register';

export function AuthScreen({ serverUrl, notice, onAuthenticated }: { serverUrl: string; notice?: string | undefined; onAuthenticated: (result: AuthResult) => void }): ReactElement {
  const { t } = useTranslation();
  const [mode, setMode] = useState<Mode>('sign-in');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [error, setError] = useState<string | null>(notice ?? null);
  const [busy, setBusy] = useState(false);

  const check = (): string | null => {
    if (mode === 'sign-in') return username.trim() === '' || password === '' ? t('errors.invalid_credentials') : null;
    if (!LIMITS.usernamePattern.test(username.trim().toLowerCase())) return t('auth.badUsername');
    const passwordLength = codePointLength(password);
    if (passwordLength < LIMITS.passwordMin || passwordLength > LIMITS.passwordMax) return t('auth.badPassword');
    const nameLength = codePointLength(displayName.trim());
    if (nameLength < 1 || nameLength > LIMITS.displayNameMax) return t('auth.badDisplayName');
    return null;
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const problem = check();
    if (problem !== null) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    const name = username.trim();
    const result = mode === 'sign-in' ? await login(serverUrl, name, password) : await register(serverUrl, name, password, displayName.trim());
    setBusy(false);
    if (result.ok) onAuthenticated(result.value);
    else setError(t(`errors.${result.code}`));
  };

  const switchTo = (next: Mode): void => {
    setMode(next);
    setError(null);
  };

  return (
    <main className="auth-screen" data-testid={TEST_IDS.authScreen}>
      <div className="auth-card">
        <div className="auth-brand">
          <span className="brand-mark" aria-hidden="true">往</span>
          <div>
            <h1>{t('app.name')}</h1>
            <p>{t('app.tagline')}</p>
          </div>
        </div>
        <div className="auth-tabs" role="tablist" aria-label={t('app.name')}>
          <button type="button" role="tab" aria-selected={mode === 'sign-in'} className={mode === 'sign-in' ? 'is-active' : ''} onClick={() => switchTo('sign-in')} data-testid={TEST_IDS.authTabSignIn}>
            {t('auth.signIn')}
          </button>
          <button type="button" role="tab" aria-selected={mode === 'register'} className={mode === 'register' ? 'is-active' : ''} onClick={() => switchTo('register')} data-testid={TEST_IDS.authTabRegister}>
            {t('auth.register')}
          </button>
        </div>
        <form className="auth-form" onSubmit={(e) => void submit(e)} noValidate>
          <label className="field">
            <span>{t('auth.username')}</span>
            <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" autoCapitalize="off" spellCheck={false} maxLength={64} data-testid={TEST_IDS.authUsername} placeholder={mode === 'register' ? t('auth.usernameHint') : ''} />
          </label>
          {mode === 'register' && (
            <label className="field">
              <span>{t('auth.displayName')}</span>
              <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} autoComplete="nickname" maxLength={LIMITS.displayNameMax * 2} data-testid={TEST_IDS.authDisplayName} placeholder={t('auth.displayNameHint')} />
            </label>
          )}
          <label className="field">
            <span>{t('auth.password')}</span>
            <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete={mode === 'register' ? 'new-password' : 'current-password'} maxLength={LIMITS.passwordMax * 4} data-testid={TEST_IDS.authPassword} placeholder={mode === 'register' ? t('auth.passwordHint') : ''} />
          </label>
          {error !== null && (
            <p className="form-error" role="alert" data-testid={TEST_IDS.authError}>
              {error}
            </p>
          )}
          <button type="submit" className="primary-button wide" disabled={busy} data-testid={TEST_IDS.authSubmit}>
            {busy ? t('auth.working') : mode === 'sign-in' ? t('auth.submitSignIn') : t('auth.submitRegister')}
          </button>
        </form>
        <div className="auth-settings">
          <SettingsControls />
        </div>
      </div>
    </main>
  );
}
