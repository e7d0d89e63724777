// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { captureShareRequest } from '../../../renderer/src/ui/share-request';
import { useUi } from '../../../renderer/src/store/ui-store';

afterEach(() => {
  useUi.setState({ share: null });
  window.history.replaceState(null, '', '/');
});

function share(query: string): string | undefined {
  window.history.replaceState(null, '', `/share?${query}`);
  captureShareRequest();
  return useUi.getState().share?.text;
}

describe("the web build's /share request", () => {
  it('opens the share dialog with the text and the URL as the parser reads it, then tidies the address', () => {
    expect(share(`text=${encodeURIComponent('看看')}&url=${encodeURIComponent('HTTPS://Shop.Example/a b')}`)).toBe('看看 https://shop.example/a%20b');
    expect(window.location.pathname).toBe('/');
  });

  it('leaves out a shared URL that is not http(s) or does not parse', () => {
    expect(share(`text=hi&url=${encodeURIComponent('javascript:alert(1)')}`)).toBe('hi');
    expect(share(`text=hi&url=${encodeURIComponent('https://')}`)).toBe('hi');
  });
});
