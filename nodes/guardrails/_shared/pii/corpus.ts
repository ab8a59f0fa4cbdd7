import type { PiiType } from './detect.js';

/**
 * A labelled corpus for the PII detector: each text with the findings a careful person would mark.
 * Half of it is look-alikes that must NOT be found — order ids, timestamps, invoice numbers, version
 * strings, card numbers failing Luhn, 9-digit numbers that are not SSNs — because a detector that
 * flags every digit run is useless in a support inbox. Test numbers are the issuers' published test
 * values or were generated to pass (or fail) their check digits.
 */
export interface CorpusCase {
  text: string;
  expected: { type: PiiType; text: string }[];
}

export const PII_CORPUS: CorpusCase[] = [
  // email
  { text: 'write to priya.sharma+orders@example.co.in please', expected: [{ type: 'email', text: 'priya.sharma+orders@example.co.in' }] },
  { text: 'Contact: J.Doe@Mail.Example.COM, thanks', expected: [{ type: 'email', text: 'J.Doe@Mail.Example.COM' }] },
  { text: 'ping me @priya on the forum or at user@localhost', expected: [] },
  // phones: India (incl. the 5-5 mobile format), US, GB, DE, FR
  { text: 'my number is 98765 43210', expected: [{ type: 'phone', text: '98765 43210' }] },
  { text: 'call +91 98765 43210 after 6', expected: [{ type: 'phone', text: '+91 98765 43210' }] },
  { text: 'office: 022 2778 0000', expected: [{ type: 'phone', text: '022 2778 0000' }] },
  { text: 'reach me at (212) 456-7890 tomorrow', expected: [{ type: 'phone', text: '(212) 456-7890' }] },
  { text: 'UK line +44 20 7946 0958', expected: [{ type: 'phone', text: '+44 20 7946 0958' }] },
  { text: 'Berlin office +49 30 901820', expected: [{ type: 'phone', text: '+49 30 901820' }] },
  { text: 'Paris: +33 1 42 68 53 00', expected: [{ type: 'phone', text: '+33 1 42 68 53 00' }] },
  { text: 'order #4581203 shipped on 2024-05-01 12:30:45', expected: [] },
  { text: 'ticket 1717171717 was opened at 1717171999', expected: [] },
  { text: 'invoice INV-2024-000123, total 1,499.00', expected: [] },
  // cards (Luhn + issuer range)
  { text: 'card 4111 1111 1111 1111 exp 12/29', expected: [{ type: 'card', text: '4111 1111 1111 1111' }] },
  { text: 'mc 5555-5555-5555-4444', expected: [{ type: 'card', text: '5555-5555-5555-4444' }] },
  { text: 'amex 378282246310005 on file', expected: [{ type: 'card', text: '378282246310005' }] },
  { text: 'new mastercard 2223003122003222', expected: [{ type: 'card', text: '2223003122003222' }] },
  { text: 'card 4111 1111 1111 1112 was declined', expected: [] },
  { text: 'tracking 1234567890123452 (passes Luhn, no issuer)', expected: [] },
  { text: 'reference 1234 5678 9012 3456', expected: [] },
  // IBAN (mod 97)
  { text: 'IBAN DE89 3704 0044 0532 0130 00 for the refund', expected: [{ type: 'iban', text: 'DE89 3704 0044 0532 0130 00' }] },
  { text: 'pay to GB82WEST12345698765432', expected: [{ type: 'iban', text: 'GB82WEST12345698765432' }] },
  { text: 'FR1420041010050500013M02606 is the account', expected: [{ type: 'iban', text: 'FR1420041010050500013M02606' }] },
  { text: 'typo: DE89 3704 0044 0532 0130 01', expected: [] },
  { text: 'SKU AB12 CD34 EF56 GH78 in stock', expected: [] },
  // Aadhaar (Verhoeff) and PAN
  { text: 'aadhaar 2345 6789 0124', expected: [{ type: 'aadhaar', text: '2345 6789 0124' }] },
  { text: 'UID 498765432102 verified', expected: [{ type: 'aadhaar', text: '498765432102' }] },
  { text: 'aadhaar 2345 6789 0125 (one digit off)', expected: [] },
  { text: 'PAN ABCPE1234F attached', expected: [{ type: 'pan', text: 'ABCPE1234F' }] },
  { text: 'code ABCXE1234F is a coupon', expected: [] },
  // US SSN (ranges), 9-digit look-alikes
  { text: 'SSN 123-45-6789', expected: [{ type: 'ssn', text: '123-45-6789' }] },
  { text: 'social security number: 234567890', expected: [{ type: 'ssn', text: '234567890' }] },
  { text: 'order 123456789 arrives Monday', expected: [] },
  { text: 'ids 000-12-3456, 666-12-3456 and 912-34-5678 are never issued', expected: [] },
  { text: 'the sample 078-05-1120 from the wallet ad', expected: [] },
  // IP addresses
  { text: 'login from 192.168.1.10 failed', expected: [{ type: 'ip', text: '192.168.1.10' }] },
  { text: 'server 2001:db8::8a2e:370:7334 answered', expected: [{ type: 'ip', text: '2001:db8::8a2e:370:7334' }] },
  { text: 'upgrade to version 1.2.3 at 12:30:45; 999.1.1.1 is not an address', expected: [] },
  // secrets
  { text: 'my key is sk-proj-Ab3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW', expected: [{ type: 'secret', text: 'sk-proj-Ab3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW' }] },
  { text: 'AKIAIOSFODNN7EXAMPLE leaked', expected: [{ type: 'secret', text: 'AKIAIOSFODNN7EXAMPLE' }] },
  { text: 'token ghp_aB3cD4eF5gH6iJ7kL8mN9oP0qR1sT2uV3wX4 in the log', expected: [{ type: 'secret', text: 'ghp_aB3cD4eF5gH6iJ7kL8mN9oP0qR1sT2uV3wX4' }] },
  { text: 'session Zx9Qw2Er7Ty4Ui1Op8As5Df3Gh6Jk0Lm2Nb7Vc', expected: [{ type: 'secret', text: 'Zx9Qw2Er7Ty4Ui1Op8As5Df3Gh6Jk0Lm2Nb7Vc' }] },
  { text: 'commit 3f786850e387550fdab836ed7e6dc881de23001b and id 123e4567-e89b-12d3-a456-426614174000', expected: [] },
  // more look-alikes and formats (added after the rules above were written, as a check on them)
  { text: 'flight AI 302 at 14:05 on 05/06/2024, seat 12A', expected: [] },
  { text: 'call me on 9123456789 or 080-2345 6789', expected: [{ type: 'phone', text: '9123456789' }, { type: 'phone', text: '080-2345 6789' }] },
  { text: 'US support +1 415 555 2671', expected: [{ type: 'phone', text: '+1 415 555 2671' }] },
  { text: 'pincode 560001, amount 4,500,000 INR, GSTIN 27AAPFU0939F1ZV', expected: [] },
  { text: 'AWS: AKIAIOSFODNN7EXAMPLE / rzp_live_Abc123Def456Gh78', expected: [{ type: 'secret', text: 'AKIAIOSFODNN7EXAMPLE' }, { type: 'secret', text: 'rzp_live_Abc123Def456Gh78' }] },
  // mixed
  {
    text: 'Hi, I am Ravi (ravi@example.org, +91 91234 56789). Card 4111111111111111, PAN ABCPE1234F.',
    expected: [{ type: 'email', text: 'ravi@example.org' }, { type: 'phone', text: '+91 91234 56789' }, { type: 'card', text: '4111111111111111' }, { type: 'pan', text: 'ABCPE1234F' }],
  },
];
