import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../i18n/i18n';
import { setTheme, useUi, type ThemeChoice } from '../store/ui-store';
import { TEST_IDS } from '../../test-ids';

const LANGUAGE_NAMES: Record<Language, string> = { 'zh-CN': '简体中文', en: 'English' };

/** Language and theme, as plain selects: keyboard friendly and easy to drive from a test. */
export function SettingsControls(): ReactElement {
  const { t, i18n } = useTranslation();
  const theme = useUi((s) => s.theme);
  const language: Language = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  return (
    <div className="settings-controls">
      <label className="inline-field">
        <span>{t('settings.language')}</span>
        <select value={language} onChange={(e) => setLanguage(e.target.value === 'zh-CN' ? 'zh-CN' : 'en')} data-testid={TEST_IDS.languageSwitch}>
          {(Object.keys(LANGUAGE_NAMES) as Language[]).map((code) => (
            <option key={code} value={code} lang={code}>
              {LANGUAGE_NAMES[code]}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-field">
        <span>{t('settings.theme')}</span>
        <select value={theme} onChange={(e) => setTheme(e.target.value as ThemeChoice)} data-testid={TEST_IDS.themeSwitch}>
          <option value="system">{t('settings.themeSystem')}</option>
          <option value="light">{t('settings.themeLight')}</option>
          <option value="dark">{t('settings.themeDark')}</option>
        </select>
      </label>
    </div>
  );
}
