import { create } from 'zustand';
import type { LinkVerdict } from '../../../protocol';

export type View = 'chats' | 'contacts';
export type ThemeChoice = 'system' | 'light' | 'dark';

export interface ShareRequest {
  text: string;
}

/** A blocked link the user asked to open: the interstitial explains it first. */
export interface BlockedLink {
  url: string;
  verdict: LinkVerdict;
}

export interface UiState {
  view: View;
  theme: ThemeChoice;
  share: ShareRequest | null;
  productShareOpen: boolean;
  newGroupOpen: boolean;
  groupPanelOpen: boolean;
  blockedLink: BlockedLink | null;
  linkNotice: string | null;
  /** A conversation just opened by the reader: its message box takes the focus once it shows. */
  composerFocus: string | null;
}

const THEME_KEY = 'wanglai.theme';

function savedTheme(): ThemeChoice {
  const saved = localStorage.getItem(THEME_KEY);
  return saved === 'light' || saved === 'dark' ? saved : 'system';
}

export const useUi = create<UiState>()(() => ({
  view: 'chats',
  theme: savedTheme(),
  share: null,
  productShareOpen: false,
  newGroupOpen: false,
  groupPanelOpen: false,
  blockedLink: null,
  linkNotice: null,
  composerFocus: null,
}));

export function setTheme(theme: ThemeChoice): void {
  localStorage.setItem(THEME_KEY, theme);
  useUi.setState({ theme });
}
