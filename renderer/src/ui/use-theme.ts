import { useEffect } from 'react';
import { useUi } from '../store/ui-store';

/** Sets data-theme on the document from the choice, following the system when asked to. */
export function useThemeClass(): void {
  const theme = useUi((s) => s.theme);
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = (): void => {
      document.documentElement.dataset.theme = theme === 'system' ? (media.matches ? 'dark' : 'light') : theme;
    };
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
}
