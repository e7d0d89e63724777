import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS, codePointLength } from '../../../protocol/limits';
import type { AuthResult } from '../../../protocol';
import { deviceKeyFor, rememberDeviceKey } from '../wire/device-keys';
import { login, register } from '../wire/http-api';
import { limitCodePoints } from '../lib/text-limit';
import { TEST_IDS } from '../../test-ids';
import { SettingsControls } from './SettingsControls';
import './AuthScreen.css';

type Mode = 'sign-in' | 'register';
const MODES: readonly Mode[] = ['sign-in', 'register'];
type Field = 'username' | 'password' | 'displayName';

/** The longest username the rules allow, read from the pattern itself (`{3,32}`). */
const USERNAME_MAX = Number(/\{\d+,(\d+)\}/.exec(LIMITS.usernamePattern.source)?.[1] ?? 32);
/**
 * What the username field takes: more than the rules allow, so a longer pasted name is refused
 * with the reason rather than cut short to a different name that would then be registered.
 */
const USERNAME_FIELD_MAX = USERNAME_MAX * 2;

interface Problem {
  text: string;
  /** The field it is about; null when it is about no one field (the server, the network). */
  field: Field | null;
}

export function AuthScreen({
  serverUrl,
  notice,
  revokeLater = false,
  onAuthenticated,
}: {
  serverUrl: string;
  notice?: string | undefined;
  /** Signed out while the server could not be reached: the session ends there once it can be. */
  revokeLater?: boolean;
  onAuthenticated: (result: AuthResult) => void;
}): ReactElement {
  const { t } = useTranslation();
  const [mode, setMode] = useState<Mode>('sign-in');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [problem, setProblem] = useState<Problem | null>(notice === undefined ? null : { text: notice, field: null });
  // Counts refused submits: after each, focus goes to the field in error, or back to the button.
  const [refusals, setRefusals] = useState(0);
  const [busy, setBusy] = useState(false);
  const ids = { error: useId(), usernameHint: useId(), displayNameHint: useId(), passwordHint: useId(), form: useId(), signInTab: useId(), registerTab: useId() };
  const tabs = { 'sign-in': useRef<HTMLButtonElement>(null), register: useRef<HTMLButtonElement>(null) };
  const fields = { username: useRef<HTMLInputElement>(null), password: useRef<HTMLInputElement>(null), displayName: useRef<HTMLInputElement>(null) };
  const submitButton = useRef<HTMLButtonElement>(null);

  useEffect(() => fields.username.current?.focus(), []);

  useEffect(() => {
    if (refusals === 0 || busy) return;
    const target = problem?.field == null ? submitButton.current : fields[problem.field].current;
    target?.focus();
    // Only after a refusal; `problem` is read as it was then.
  }, [refusals, busy]);

  const check = (): Problem | null => {
    if (mode === 'sign-in') {
      if (username.trim() === '') return { text: t('auth.missingUsername'), field: 'username' };
      if (password === '') return { text: t('auth.missingPassword'), field: 'password' };
      return null;
    }
    if (!LIMITS.usernamePattern.test(username.trim().toLowerCase())) return { text: t('auth.badUsername'), field: 'username' };
    const nameLength = codePointLength(displayName.trim());
    if (nameLength < 1) return { text: t('auth.missingDisplayName'), field: 'displayName' };
    if (nameLength > LIMITS.displayNameMax) return { text: t('auth.badDisplayName'), field: 'displayName' };
    const passwordLength = codePointLength(password);
    if (passwordLength < LIMITS.passwordMin || passwordLength > LIMITS.passwordMax) return { text: t('auth.badPassword'), field: 'password' };
    return null;
  };

  const refuse = (next: Problem): void => {
    setProblem(next);
    setRefusals((n) => n + 1);
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const found = check();
    if (found !== null) {
      refuse(found);
      return;
    }
    setBusy(true);
    setProblem(null);
    const name = username.trim();
    const result = mode === 'sign-in' ? await login(serverUrl, name, password, deviceKeyFor(serverUrl, name)) : await register(serverUrl, name, password, displayName.trim());
    setBusy(false);
    if (result.ok) {
      if (result.value.deviceKey !== undefined) rememberDeviceKey(serverUrl, result.value.user.username, result.value.deviceKey);
      onAuthenticated(result.value);
      return;
    }
    const field: Field | null = result.code === 'username_taken' ? 'username' : result.code === 'invalid_credentials' ? 'password' : null;
    refuse({ text: t(`errors.${result.code}`), field });
  };

  const switchTo = (next: Mode): void => {
    setMode(next);
    setProblem(null);
  };

  /** The ARIA tabs pattern: one tab in the Tab order, arrows (and Home, End) move to the other and select it. */
  const onTabKey = (event: KeyboardEvent): void => {
    const at = MODES.indexOf(mode);
    const next = { ArrowLeft: MODES[(at + MODES.length - 1) % MODES.length], ArrowRight: MODES[(at + 1) % MODES.length], Home: MODES[0], End: MODES[MODES.length - 1] }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    if (next !== mode) switchTo(next);
    tabs[next].current?.focus();
  };

  const tab = (which: Mode, id: string, label: string, testId: string): ReactElement => (
    <button
      ref={tabs[which]}
      id={id}
      type="button"
      role="tab"
      aria-selected={mode === which}
      aria-controls={ids.form}
      tabIndex={mode === which ? 0 : -1}
      className={mode === which ? 'is-active' : ''}
      onClick={() => switchTo(which)}
      data-testid={testId}
    >
      {label}
    </button>
  );

  /** aria attributes of a field: invalid while the problem is about it, described by the problem and its hint. */
  const described = (field: Field, hintId?: string): { 'aria-invalid': boolean; 'aria-describedby'?: string } => {
    const inError = problem?.field === field;
    const describedBy = [inError ? ids.error : undefined, hintId].filter((id) => id !== undefined).join(' ');
    return describedBy === '' ? { 'aria-invalid': inError } : { 'aria-invalid': inError, 'aria-describedby': describedBy };
  };

  const lowered = username.trim().toLowerCase();
  // Only for a name the rules allow once in lower case: for any other, "yours will be …" would promise a name refused.
  const showsLowerCase = mode === 'register' && lowered !== username.trim() && LIMITS.usernamePattern.test(lowered);

  /** The problem, under the field it is about; one about no field (the server's answer), above the button. */
  const problemUnder = (where: Field | null): ReactElement | null =>
    problem === null || problem.field !== where ? null : (
      <p id={ids.error} className="form-error" role="alert" data-testid={TEST_IDS.authError}>
        {problem.text}
      </p>
    );

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
        {revokeLater && (
          <p className="auth-info" role="status" data-testid={TEST_IDS.signOutRevokeLater}>
            {t('auth.revokeLater')}
          </p>
        )}
        <div className="auth-tabs" role="tablist" aria-label={t('app.name')} onKeyDown={onTabKey}>
          {tab('sign-in', ids.signInTab, t('auth.signIn'), TEST_IDS.authTabSignIn)}
          {tab('register', ids.registerTab, t('auth.register'), TEST_IDS.authTabRegister)}
        </div>
        <form id={ids.form} role="tabpanel" aria-labelledby={mode === 'sign-in' ? ids.signInTab : ids.registerTab} className="auth-form" onSubmit={(e) => void submit(e)} noValidate>
          <label className="field">
            <span>{t('auth.username')}</span>
            <input
              ref={fields.username}
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              autoComplete="username"
              autoCapitalize="off"
              spellCheck={false}
              maxLength={USERNAME_FIELD_MAX}
              required
              {...described('username', mode === 'register' ? ids.usernameHint : undefined)}
              data-testid={TEST_IDS.authUsername}
            />
          </label>
          {mode === 'register' && (
            <p id={ids.usernameHint} className="auth-hint">
              {showsLowerCase ? t('auth.usernameLowerCase', { stored: lowered }) : t('auth.usernameHint')}
            </p>
          )}
          {problemUnder('username')}
          {mode === 'register' && (
            <>
              <label className="field">
                <span>
                  {t('auth.displayName')} <span className="auth-required">({t('auth.required')})</span>
                </span>
                <input
                  ref={fields.displayName}
                  value={displayName}
                  onChange={(e) => setDisplayName(limitCodePoints(e.target.value, LIMITS.displayNameMax).value)}
                  autoComplete="nickname"
                  required
                  aria-required="true"
                  {...described('displayName', ids.displayNameHint)}
                  data-testid={TEST_IDS.authDisplayName}
                />
              </label>
              <p id={ids.displayNameHint} className="auth-hint">
                {t('auth.displayNameRequired')}
              </p>
              {problemUnder('displayName')}
            </>
          )}
          <label className="field">
            <span>{t('auth.password')}</span>
            <input
              ref={fields.password}
              type="password"
              value={password}
              onChange={(e) => setPassword([...e.target.value].slice(0, LIMITS.passwordMax).join(''))}
              autoComplete={mode === 'register' ? 'new-password' : 'current-password'}
              required
              {...described('password', mode === 'register' ? ids.passwordHint : undefined)}
              data-testid={TEST_IDS.authPassword}
            />
          </label>
          {mode === 'register' && (
            <p id={ids.passwordHint} className="auth-hint">
              {t('auth.passwordHint')}
            </p>
          )}
          {problemUnder('password')}
          {problemUnder(null)}
          <button ref={submitButton} type="submit" className="primary-button wide" disabled={busy} data-testid={TEST_IDS.authSubmit}>
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
