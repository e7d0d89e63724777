// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { formatPrice as format } from '../../../renderer/src/ui/ProductCardView';

// ICU puts a no-break space between a currency code and the amount; compared as a plain space.
const formatPrice = (price: string, currency: string | undefined, language: string): string => format(price, currency, language).replace(/\u00a0/g, ' ');

describe('formatPrice', () => {
  it('formats for the language with the currency usual decimals', () => {
    expect(formatPrice('199', 'CNY', 'en')).toBe('CN¥199.00');
    expect(formatPrice('19.5', 'USD', 'en')).toBe('$19.50');
    expect(formatPrice('1999', 'JPY', 'en')).toBe('¥1,999');
    expect(formatPrice('459.00', 'CNY', 'zh-CN')).toBe('¥459.00');
  });

  it('never shows a price the page did not give: no rounding away its decimals, no loss of digits', () => {
    expect(formatPrice('19.999', 'USD', 'en')).toBe('$19.999');
    expect(formatPrice('0.004', 'USD', 'en')).toBe('$0.004');
    expect(formatPrice('99.99', 'HUF', 'en')).toBe('HUF 99.99');
    expect(formatPrice('1999.5', 'KRW', 'en')).toBe('₩1,999.5');
    expect(formatPrice('999999999999.9999', 'IDR', 'en')).toBe('IDR 999,999,999,999.9999');
  });

  it('shows what it cannot format as it came', () => {
    expect(formatPrice('12.00', undefined, 'en')).toBe('12.00');
    expect(formatPrice('1e3', 'USD', 'en')).toBe('1e3 USD');
  });
});
