import { describe, expect, it } from 'vitest';
import { maskSnippet, maskText } from '../../../src/actions/mask.js';

describe('maskText', () => {
  it.each([
    ['a credit card with spaces', 'card 4111 1111 1111 1111 used', 'card •••• •••• •••• 1111 used'],
    ['a credit card with dashes', '5500-0000-0000-0004', '••••-••••-••••-0004'],
    ['a credit card in one run', '4111111111111111', '••••••••••••1111'],
    ['an SSN', 'SSN: 123-45-6789.', 'SSN: •••-••-6789.'],
    ['an IBAN with letters in it', 'IBAN DE89 3704 0044 0532 0130 00 ok', 'IBAN •••• •••• •••• •••• ••30 00 ok'],
    ['a compact IBAN', 'GB82WEST12345698765432', '••••••••••••••••••5432'],
    ['an email', 'mail alice.smith99@corp.example now', 'mail a•••@corp.example now'],
    ['an email whose domain has digits', 'x1@mail2024.example', 'x•••@mail2024.example'],
    ['two emails in a list', 'bob@corp.example,carol@x.org', 'b•••@corp.example,c•••@x.org'],
    [
      'mixed text',
      'Pay 4111-1111-1111-1234 from bob@corp.example (ref 42)',
      'Pay ••••-••••-••••-1234 from b•••@corp.example (ref 42)',
    ],
    ['a run of seven digits', 'acct 1234567', 'acct •••4567'],
  ])('should mask %s', (_what, input, expected) => {
    expect(maskText(input)).toBe(expected);
  });

  it.each([
    ['empty text', ''],
    ['text without values', 'Quarterly report: confidential, do not share.'],
    ['a four-digit run (nothing beyond the last four)', 'PIN 1234'],
    ['short numbers apart', 'v1.2.3 and 12 of 300'],
    ['vendor text already masked with X', 'XXXX-XXXX-XXXX-1234'],
    ['vendor text already masked with stars', '****-****-****-1234'],
    ['text masked by us before', '•••• •••• •••• 1111 and a•••@corp.example'],
  ])('should leave %s as it is', (_what, input) => {
    expect(maskText(input)).toBe(input);
  });

  it('should keep the length and separators, so the shape still reads', () => {
    const input = '4111 1111 1111 1111';
    expect(maskText(input)).toHaveLength(input.length);
    expect(maskText(maskText(input))).toBe(maskText(input));
  });

  // The ReDoS input: runs of address characters with no domain after an "@" and a 50,000-digit chain. Its speed
  // (linear, not quadratic) is measured by `npm run bench -- mask` (docs/benchmarks.md); here, what it masks to.
  it('should mask long hostile text correctly: the digit chain down to its last four, nothing else', () => {
    const hostile = `${'a'.repeat(200_000)} ${'1.'.repeat(50_000)}${'b'.repeat(100_000)}@`;
    const masked = maskText(hostile);
    expect(masked).toHaveLength(hostile.length);
    expect(masked).toBe(`${'a'.repeat(200_000)} ${'•.'.repeat(49_996)}1.1.1.1.${'b'.repeat(100_000)}@`);
  });
});

describe('maskSnippet', () => {
  it('should mask label and text', () => {
    expect(maskSnippet({ label: 'Card 4111111111111111', text: 'to bob@corp.example' })).toEqual({
      label: 'Card ••••••••••••1111',
      text: 'to b•••@corp.example',
    });
  });

  it('should mask text a vendor says it already masked: there is no flag to trust', () => {
    const snippet = { label: 'Card', text: 'XXXX XXXX XXXX 1111 (ssn 987-65-4321)' };
    expect(maskSnippet(snippet).text).toBe('XXXX XXXX XXXX 1111 (ssn •••-••-4321)');
  });
});
