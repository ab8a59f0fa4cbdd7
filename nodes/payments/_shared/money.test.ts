import { describe, expect, it } from 'vitest';
import {
  amountProp, checkProviderCurrency, describeCharge, exponentOf, formatMinor, MAX_MINOR, minorAmount, MoneyError, parseAmount,
} from './money.js';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof MoneyError) return error.code;
    throw error;
  }
  return undefined;
}

describe('money', () => {
  it('knows each currency\'s own exponent', () => {
    expect(exponentOf('INR')).toBe(2);
    expect(exponentOf('jpy')).toBe(0);
    expect(exponentOf('KWD')).toBe(3);
    expect(exponentOf('CLF')).toBe(4);
    expect(codeOf(() => exponentOf('XYZ'))).toBe('unknown_currency');
    expect(codeOf(() => exponentOf('constructor'))).toBe('unknown_currency');
  });

  it('parses decimal text exactly into minor units', () => {
    expect(parseAmount('499.00', 'INR')).toEqual({ minor: 49900, currency: 'INR' });
    expect(parseAmount('499', 'inr')).toEqual({ minor: 49900, currency: 'INR' });
    expect(parseAmount('0.10', 'USD')).toEqual({ minor: 10, currency: 'USD' });
    // 0.1 + 0.2 style floats never enter: 1.15 * 100 is 114.99999999999999 as a float.
    expect(parseAmount('1.15', 'USD').minor).toBe(115);
    expect(parseAmount('500', 'JPY')).toEqual({ minor: 500, currency: 'JPY' });
    expect(parseAmount('500.000', 'JPY').minor).toBe(500);
    expect(parseAmount('1.250', 'KWD')).toEqual({ minor: 1250, currency: 'KWD' });
    expect(parseAmount('1.25', 'KWD').minor).toBe(1250);
    expect(parseAmount(' 12.5 ', 'EUR').minor).toBe(1250);
    expect(parseAmount(499, 'INR').minor).toBe(49900);
  });

  it('refuses negative, zero, fractional minor units, overflow, junk and unknown currencies, each with its code', () => {
    expect(codeOf(() => parseAmount('-5.00', 'INR'))).toBe('non_positive_amount');
    expect(codeOf(() => parseAmount('0.00', 'INR'))).toBe('non_positive_amount');
    expect(codeOf(() => parseAmount('0', 'JPY'))).toBe('non_positive_amount');
    expect(codeOf(() => parseAmount('499.001', 'INR'))).toBe('fractional_minor_unit');
    expect(codeOf(() => parseAmount('500.5', 'JPY'))).toBe('fractional_minor_unit');
    expect(codeOf(() => parseAmount('1.2505', 'KWD'))).toBe('fractional_minor_unit');
    expect(codeOf(() => parseAmount('99999999999999999999', 'INR'))).toBe('amount_too_large');
    expect(codeOf(() => parseAmount(String(MAX_MINOR / 100 + 1), 'USD'))).toBe('amount_too_large');
    expect(codeOf(() => parseAmount('1e3', 'USD'))).toBe('invalid_amount');
    expect(codeOf(() => parseAmount('4,99', 'USD'))).toBe('invalid_amount');
    expect(codeOf(() => parseAmount('', 'USD'))).toBe('invalid_amount');
    expect(codeOf(() => parseAmount(499.1, 'USD'))).toBe('invalid_amount');
    expect(codeOf(() => parseAmount('10', 'ABC'))).toBe('unknown_currency');
  });

  it('the largest safe amount still parses exactly', () => {
    expect(parseAmount(String(MAX_MINOR), 'JPY').minor).toBe(MAX_MINOR);
  });

  it('checks integer minor amounts', () => {
    expect(minorAmount(100, 'usd')).toEqual({ minor: 100, currency: 'USD' });
    expect(codeOf(() => minorAmount(1.5, 'USD'))).toBe('fractional_minor_unit');
    expect(codeOf(() => minorAmount(0, 'USD'))).toBe('non_positive_amount');
    expect(codeOf(() => minorAmount(-1, 'USD'))).toBe('non_positive_amount');
  });

  it('formats minor units back to exact decimals', () => {
    expect(formatMinor(49900, 'INR')).toBe('499.00');
    expect(formatMinor(5, 'USD')).toBe('0.05');
    expect(formatMinor(500, 'JPY')).toBe('500');
    expect(formatMinor(1250, 'KWD')).toBe('1.250');
    expect(formatMinor(MAX_MINOR, 'USD')).toBe('90071992547409.91');
    expect(describeCharge(parseAmount('499.00', 'INR'))).toBe('499.00 INR is charged as 49900 minor units');
  });

  it('refuses a currency or granularity the provider does not take', () => {
    const rules = { provider: 'Razorpay', supported: new Set(['INR', 'KWD']), step: { KWD: 10 } };
    expect(checkProviderCurrency(parseAmount('1.250', 'KWD'), rules).minor).toBe(1250);
    expect(codeOf(() => checkProviderCurrency(parseAmount('1.255', 'KWD'), rules))).toBe('fractional_minor_unit');
    let message = '';
    try {
      checkProviderCurrency(parseAmount('5', 'USD'), rules);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('Razorpay does not take USD; it takes INR, KWD');
  });

  it('the amount field accepts text and numbers, and keeps expressions as written', () => {
    expect(amountProp.parse('499.00')).toBe('499.00');
    expect(amountProp.parse(499)).toBe(499);
    expect(amountProp.parse('{{ $json.total }}')).toBe('{{ $json.total }}');
    expect(amountProp.safeParse('').success).toBe(false);
  });
});
