import { describe, expect, it } from 'vitest';
import { MASK_MARGIN, maskForDisplay, maskSnippet, maskText } from '../../../src/actions/mask.js';
import { snippetsView } from '../../../src/actions/snippets.js';
import { SNIPPET_TEXT_CAP } from '../../../src/ports/index.js';

describe('maskText', () => {
  it.each([
    ['a credit card with spaces', 'card 4111 1111 1111 1111 used', 'card •••• •••• •••• 1111 used'],
    ['a credit card with dashes', '5500-0000-0000-0004', '••••-••••-••••-0004'],
    ['a credit card in one run', '4111111111111111', '••••••••••••1111'],
    ['a card printed as one that fails Luhn', 'card 0000 0000 0000 2452', 'card •••• •••• •••• 2452'],
    ['an SSN', 'SSN: 123-45-6789.', 'SSN: •••-••-6789.'],
    ['an IBAN with letters in it', 'IBAN DE89 3704 0044 0532 0130 00 ok', 'IBAN •••• •••• •••• •••• ••30 00 ok'],
    ['a compact IBAN', 'GB82WEST12345698765432', '••••••••••••••••••5432'],
    ['an email', 'mail alice.smith99@corp.example now', 'mail a•••@corp.example now'],
    ['an email whose domain has digits', 'x1@mail2024.example', 'x•••@mail2024.example'],
    ['two emails in a list', 'bob@corp.example,carol@x.org', 'b•••@corp.example,c•••@x.org'],
    [
      'mixed text',
      'Pay 4111-1111-1111-1111 from bob@corp.example (ref 42)',
      'Pay ••••-••••-••••-1111 from b•••@corp.example (ref 42)',
    ],
    ['an account number its label names', 'acct 1234567', 'acct •••4567'],
    ['a medical record number', 'MRN-65609817', 'MRN-••••9817'],
    ['a PIN, whole', 'PIN 1234', 'PIN ••••'],
  ])('should mask %s', (_what, input, expected) => {
    expect(maskText(input)).toBe(expected);
  });

  // Issue 13, finding 3: shapes the regex masker let through. Each is one line a clicker could have seen.
  it.each([
    ['commas', '4929,1234,5678,9015', '••••,••••,••••,9015'],
    ['underscores', '4929_1234_5678_9015', '••••_••••_••••_9015'],
    ['tabs', '4929\t1234\t5678\t9015', '••••\t••••\t••••\t9015'],
    ['double spaces', '4929  1234  5678  9015', '••••  ••••  ••••  9015'],
    ['en dashes', '4929–1234–5678–9015', '••••–••••–••••–9015'],
    ['em dashes with spaces', '4929 — 1234 — 5678 — 9015', '•••• — •••• — •••• — 9015'],
    ['dots', '4929.1234.5678.9015', '••••.••••.••••.9015'],
    ['zero-width spaces', '4929\u200b1234\u200b5678\u200b9015', '••••••••••••9015'],
    ['a word joiner and a BOM inside the digits', '49\u206029\ufeff1234 5678 9015', '•••••••• •••• 9015'],
    ['full-width digits', '４９２９　１２３４　５６７８　９０１５', '••••　••••　••••　９０１５'],
    ['Arabic-Indic digits', '٤٩٢٩-١٢٣٤-٥٦٧٨-٩٠١٥', '••••-••••-••••-٩٠١٥'],
  ])('should mask a card number separated by %s', (_what, input, expected) => {
    expect(maskText(input)).toBe(expected);
  });

  it.each([
    ['spaced dashes', 'SSN 123 - 45 - 6789', 'SSN ••• - •• - 6789'],
    ['spaces', 'ssn 123 45 6789', 'ssn ••• •• 6789'],
    ['a CSV row', 'ana,123-45-6789,2024-05-17', 'ana,•••-••-6789,2024-05-17'],
    ['full-width digits and dash', '１２３－４５－６７８９', '•••－••－６７８９'],
  ])('should mask an SSN written with %s', (_what, input, expected) => {
    expect(maskText(input)).toBe(expected);
  });

  it('should mask what the clicker saw in issue 13 down to its last four, and the raw text it came from', () => {
    expect(maskText('4929,1234,5678,•••3 987 - 65 - 4322')).toBe('••••,••••,••••,•••• ••• - •• - 4322');
    expect(maskText('4929,1234,5678,0063 987 - 65 - 4322')).toBe('••••,••••,••••,0063 ••• - •• - 4322');
  });

  it.each([
    ['an accented local part', 'to josé.müller@exämple.de', 'to j•••@exämple.de'],
    ['a Cyrillic address', 'дмитрий@почта.рф', 'д•••@почта.рф'],
    ['a CJK local part', '山田太郎@example.jp', '山•••@example.jp'],
  ])('should mask an email address with %s', (_what, input, expected) => {
    expect(maskText(input)).toBe(expected);
  });

  it.each([
    ['an AWS key pair', 'AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'AKIA•••••••• / ••••••••'],
    ['a bearer token', 'Authorization: Bearer 9f8e7d6c5b4a39281716', 'Authorization: Bearer ••••••••'],
    ['a JWT', 'jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl ok', 'jwt=eyJ•••••••• ok'],
    ['a Slack token', 'slack xoxb-123456789012-abcdefghijkl', 'slack xoxb-••••••••'],
    ['a password pair', 'DB_PASSWORD=hunter2; user=app', 'DB_PASSWORD=••••••••; user=app'],
    ['a quoted JSON secret', '{"client_secret": "s3cr3t with spaces"}', '{"client_secret": "••••••••"}'],
    [
      'a PEM private key',
      'key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----\nbye',
      'key:\n-----BEGIN RSA PRIVATE KEY-----••••••••-----END RSA PRIVATE KEY-----\nbye',
    ],
  ])('should hide %s, keeping only its kind', (_what, input, expected) => {
    expect(maskText(input)).toBe(expected);
  });

  it.each([
    ['empty text', ''],
    ['text without values', 'Quarterly report: confidential, do not share.'],
    ['short numbers apart', 'v1.2.3 and 12 of 300'],
    ['dates and times', 'Exported 2024-05-17 10:22:31Z, due 17/05/2024 at 09:00'],
    ['a phone number', 'call +1 415 555 0100 or (020) 7946 0958'],
    ['an order number that fails Luhn', 'order 1234567890123 shipped'],
    ['an IP address', 'from 10.0.0.12 port 8443'],
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
  // (linear, not quadratic) is measured by `npm run bench -- mask` (docs/benchmarks.md); here, what it masks to:
  // nothing, since a dotted chain of single digits is no card, SSN or account number.
  it('should leave long hostile text that holds no value as it is', () => {
    const hostile = `${'a'.repeat(200_000)} ${'1.'.repeat(50_000)}${'b'.repeat(100_000)}@`;
    expect(maskText(hostile)).toBe(hostile);
  });
});

describe('maskForDisplay', () => {
  const pad = (n: number) => 'lorem ipsum '.repeat(Math.ceil(n / 12)).slice(0, n);

  it('should mask a card number the display budget cuts through, whole', () => {
    const shown = maskForDisplay(`${pad(90)} 4111 1111 1111 1111 and more`, 100);
    expect(shown).toEqual({ text: `${pad(90)} •••• •••• •••• 1111`, cut: true });
  });

  it('should hide a run the margin itself cuts through, since nobody can check it', () => {
    const shown = maskForDisplay(`${pad(95)} 12345${'6'.repeat(MASK_MARGIN)}7890`, 100);
    expect(shown.text).toBe(`${pad(95)} ${'•'.repeat(4 + MASK_MARGIN)}`);
  });

  it('should leave prose without spaces readable up to the budget (CJK has no spaces to end a run)', () => {
    const prose = '報告書の内容を確認してください。'.repeat(60);
    expect(maskForDisplay(prose, 100)).toEqual({ text: prose.slice(0, 100), cut: true });
  });

  // Issue 13, finding 5: the whole snippet was masked before it was cut, so 40 MB froze the bot. What the person
  // sees now depends on the first budget + margin characters only; how fast that is lives in `bench mask`.
  it('should build the snippets view from the first 500 characters and a margin, whatever follows', () => {
    const head = `${pad(480)} name.of.someone.${'x'.repeat(MASK_MARGIN + 100)}`;
    const view = (tail: string) => snippetsView('pan:1', [{ label: 'Body', text: head + tail }], 'PAN');
    const withAddress = view(`${'y'.repeat(1_000_000)}@corp.example`);
    expect(withAddress).toEqual(view(' and nothing else'));
    const value = JSON.stringify(withAddress.blocks);
    expect(value).toContain(`${pad(480)} •••`);
    expect(value).not.toContain('name.of');
  });

  it('should leave room past the display budget in what adapters pass on', () => {
    expect(500 + MASK_MARGIN).toBeLessThanOrEqual(SNIPPET_TEXT_CAP);
  });
});

describe('maskSnippet', () => {
  it('should mask label and text, each cut to its budget', () => {
    const snippet = { label: 'Card 4111111111111111', text: `to bob@corp.example ${'z'.repeat(50)}` };
    expect(maskSnippet(snippet, { label: 30, text: 25 })).toEqual({
      label: 'Card ••••••••••••1111',
      text: 'to b•••@corp.example zzzzz…',
    });
  });

  it('should mask every number under a label naming a sensitive kind, and leave other numbers readable', () => {
    const limits = { label: 80, text: 500 };
    expect(maskSnippet({ label: 'Bank Account Number', text: '0005995082' }, limits).text).toBe('••••••5082');
    expect(maskSnippet({ label: 'HIPAA - Medical Record Number', text: '7788 1234' }, limits).text).toBe('•••• 1234');
    expect(maskSnippet({ label: 'Document label', text: 'CONFIDENTIAL-238922' }, limits).text).toBe(
      'CONFIDENTIAL-238922',
    );
  });

  it('should mask text a vendor says it already masked: there is no flag to trust', () => {
    const snippet = { label: 'Card', text: 'XXXX XXXX XXXX 1111 (ssn 987-65-4321)' };
    expect(maskSnippet(snippet, { label: 80, text: 500 }).text).toBe('XXXX XXXX XXXX 1111 (ssn •••-••-4321)');
  });
});
