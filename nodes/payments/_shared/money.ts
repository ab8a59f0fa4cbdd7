import { z } from 'zod';
import { NonRetryableError, ui } from '@switchyard/sdk';

/**
 * Money as the payments family handles it (docs/payments.md): an integer count of the currency's
 * minor unit (paise, cents, fils) with an ISO 4217 code. Amounts typed as decimals ("499.00") are
 * parsed digit by digit with BigInt, never through a float, and must fit the currency's exponent.
 */
export interface Money {
  /** Integer count of minor units: INR 499.00 → 49900; JPY 500 → 500; KWD 1.250 → 1250. */
  minor: number;
  /** ISO 4217 alphabetic code, upper case. */
  currency: string;
}

/** ISO 4217 currencies whose minor unit is not 1/100 (the list's exponents 0, 3 and 4). */
const EXPONENT_EXCEPTIONS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** The active ISO 4217 codes with two decimals (the rest of the list; funds and metals left out). */
const TWO_DECIMALS = (
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD CAD ' +
  'CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD ' +
  'HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT ' +
  'MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR ' +
  'SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU ' +
  'UZS VES WST XCD YER ZAR ZMW ZWG'
).split(' ');

/** Minor-unit exponent by ISO 4217 code. */
export const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = Object.freeze({
  ...Object.fromEntries(TWO_DECIMALS.map((code) => [code, 2])),
  ...EXPONENT_EXCEPTIONS,
});

/** The largest amount in minor units we accept: exact as a JavaScript number and as a Postgres bigint. */
export const MAX_MINOR = Number.MAX_SAFE_INTEGER;

/** A bad amount or currency: never retried; `code` says which rule it broke. */
export class MoneyError extends NonRetryableError {
  override name = 'MoneyError';
}

/** The currency's exponent, or a {@link MoneyError} naming the unknown code. */
export function exponentOf(currency: string): number {
  const code = currency.trim().toUpperCase();
  const exponent = Object.hasOwn(CURRENCY_EXPONENTS, code) ? CURRENCY_EXPONENTS[code] : undefined;
  if (exponent === undefined) {
    throw new MoneyError(`"${currency}" is not an ISO 4217 currency code (use three letters such as INR, USD, JPY)`, { code: 'unknown_currency' });
  }
  return exponent;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal amount typed in major units ("499.00", "499", "1.250") into minor units, exactly.
 * Refuses negative, zero, more decimals than the currency has (non-zero ones), overflow and unknown
 * currencies, each with its own `code`: `invalid_amount`, `non_positive_amount`,
 * `fractional_minor_unit`, `amount_too_large`, `unknown_currency`.
 */
export function parseAmount(amount: string | number, currency: string): Money {
  const code = currency.trim().toUpperCase();
  const exponent = exponentOf(code);
  // A number is accepted only as an integer count of major units: 499.1 as a float is already inexact.
  const text = typeof amount === 'number'
    ? (Number.isSafeInteger(amount) ? String(amount) : fail(`${amount} is not exact; type the amount as text, like "499.00"`, 'invalid_amount'))
    : amount.trim();
  if (text.startsWith('-')) fail(`the amount must be positive, not ${text}`, 'non_positive_amount');
  const match = DECIMAL.exec(text);
  if (!match) fail(`"${text}" is not an amount; write digits with an optional decimal point, like "499.00"`, 'invalid_amount');
  const whole = match[1]!;
  const fraction = match[2] ?? '';
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > exponent) {
    fail(exponent === 0
      ? `${code} has no minor unit: "${text}" must be a whole number`
      : `${code} has ${exponent} decimals: "${text}" has a fraction of its smallest unit`, 'fractional_minor_unit');
  }
  const minor = BigInt(whole) * 10n ** BigInt(exponent) + BigInt((significant.padEnd(exponent, '0')) || '0');
  if (minor === 0n) fail('the amount must be more than zero', 'non_positive_amount');
  if (minor > BigInt(MAX_MINOR)) fail(`"${text}" ${code} is too large`, 'amount_too_large');
  return { minor: Number(minor), currency: code };
}

/** Checks an amount already in minor units (an integer from a provider or an expression). */
export function minorAmount(minor: number, currency: string): Money {
  const code = currency.trim().toUpperCase();
  exponentOf(code);
  if (!Number.isSafeInteger(minor)) fail(`${minor} is not a whole number of minor units`, 'fractional_minor_unit');
  if (minor <= 0) fail('the amount must be more than zero', 'non_positive_amount');
  return { minor, currency: code };
}

/** Minor units as the decimal string of major units, exactly: 49900 INR → "499.00"; 500 JPY → "500". */
export function formatMinor(minor: number, currency: string): string {
  const exponent = exponentOf(currency);
  const digits = BigInt(minor).toString().replace('-', '');
  const sign = minor < 0 ? '-' : '';
  if (exponent === 0) return sign + digits;
  const padded = digits.padStart(exponent + 1, '0');
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

/** What the editor's hint shows: "₹499.00 is charged as 49900 minor units of INR". */
export function describeCharge(money: Money): string {
  return `${formatMinor(money.minor, money.currency)} ${money.currency} is charged as ${money.minor} minor unit${money.minor === 1 ? '' : 's'}`;
}

/**
 * Whether a provider takes the currency, and at what granularity: `step` minor units (Razorpay's
 * three-decimal currencies end in 0; PayPal charges HUF and TWD in whole units).
 */
export interface ProviderCurrencies {
  provider: string;
  supported: ReadonlySet<string>;
  /** Minor units an amount must be a multiple of, by currency. Default: 1. */
  step?: Readonly<Record<string, number>>;
}

/** Refuses a currency or granularity the provider does not take, naming both. */
export function checkProviderCurrency(money: Money, rules: ProviderCurrencies): Money {
  if (!rules.supported.has(money.currency)) {
    fail(`${rules.provider} does not take ${money.currency}; it takes ${[...rules.supported].sort().join(', ')}`, 'unsupported_currency');
  }
  const step = rules.step?.[money.currency] ?? 1;
  if (money.minor % step !== 0) {
    fail(`${rules.provider} charges ${money.currency} in steps of ${formatMinor(step, money.currency)}; ${formatMinor(money.minor, money.currency)} is not one`, 'fractional_minor_unit');
  }
  return money;
}

function fail(message: string, code: string): never {
  throw new MoneyError(message, { code });
}

// No transforms on these two: the runtime parses props once before expressions resolve and keeps
// the parsed form, so a transform would rewrite the `{{ … }}` text itself.

/**
 * The amount field of a payment node's form: major units as text ("499.00", or an expression), so
 * the editor never holds a float. The hint says how it is charged; `parseAmount` checks it against
 * the currency when the step runs (the currency may itself be an expression).
 */
export const amountProp = ui(z.union([z.string().trim().min(1, 'enter an amount, like 499.00'), z.number()]), {
  title: 'Amount',
  description: 'In the currency\'s major unit, exactly as it is charged: "499.00" INR is charged as 49900 paise, "500" JPY as 500 yen, "1.250" KWD as 1250 fils',
  placeholder: '499.00',
});

/** The currency field: an ISO 4217 code. */
export const currencyProp = ui(z.string().trim().min(3, 'a three-letter ISO 4217 code such as INR or USD'), {
  title: 'Currency',
  description: 'ISO 4217 code: INR, USD, EUR, JPY, KWD, …',
  placeholder: 'INR',
});
