import { describe, expect, it } from 'vitest';
import { adapterError } from '../../src/domain/errors.js';
import { err, ok } from '../../src/domain/result.js';
import { confirmWrite, holdsMarker, noteMarker, withMarker } from '../../src/vendor-writes.js';

const note = { incidentId: 'INC-1', author: 'ana@example.com', label: 'Note', text: 'called the owner' };
const at = new Date('2026-11-23T10:00:00Z');

describe('note markers', () => {
  it('should give a retry of the same note the same marker, the same day', () => {
    const marker = noteMarker({ ...note, at });
    expect(marker).toMatch(/^dlpbot-[0-9a-f]{12}$/);
    expect(noteMarker({ ...note, at: new Date('2026-11-23T23:59:59Z') })).toBe(marker);
  });

  it('should give another note, incident, author, kind or day another marker', () => {
    const marker = noteMarker({ ...note, at });
    for (const other of [
      { ...note, text: 'called the owner again' },
      { ...note, incidentId: 'INC-2' },
      { ...note, author: 'bo@example.com' },
      { ...note, label: 'Marked false positive' },
    ]) {
      expect(noteMarker({ ...other, at })).not.toBe(marker);
    }
    expect(noteMarker({ ...note, at: new Date('2026-11-24T00:00:00Z') })).not.toBe(marker);
  });

  it('should append the marker, clipping a long entry so the marker fits the limit', () => {
    const marker = noteMarker({ ...note, at });
    expect(withMarker('Note: hi', marker)).toBe(`Note: hi [${marker}]`);
    const long = withMarker('x'.repeat(5_000), marker, 4_000);
    expect(long).toHaveLength(4_000);
    expect(long.endsWith(`… [${marker}]`)).toBe(true);
    expect(holdsMarker(`earlier\n\n${long}`, marker)).toBe(true);
    expect(holdsMarker(undefined, marker)).toBe(false);
  });
});

describe('confirmWrite', () => {
  const unreadable = err(adapterError('schema_mismatch', 'updateIncident: the response did not match'));

  it('should report a write applied when its answer is unreadable but the re-read shows it', async () => {
    expect(await confirmWrite(unreadable, async () => ok(true))).toEqual(
      ok({ recordedIn: 'vendor', confirmed: 'reread' }),
    );
  });

  it('should keep the failure when the re-read shows nothing, or fails too', async () => {
    expect(await confirmWrite(unreadable, async () => ok(false))).toEqual(unreadable);
    expect(await confirmWrite(unreadable, async () => err(adapterError('unavailable', 'down')))).toEqual(unreadable);
  });

  it('should not re-read after a success or any other failure', async () => {
    const reread = async () => {
      throw new Error('must not re-read');
    };
    expect(await confirmWrite(ok({ recordedIn: 'vendor' }), reread)).toEqual(ok({ recordedIn: 'vendor' }));
    const refused = err(adapterError('rejected', 'no'));
    expect(await confirmWrite(refused, reread)).toEqual(refused);
  });
});
