import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean, editDistance } from '../../src/did-you-mean.js';

describe('editDistance', () => {
  it.each([
    ['aging', 'aging', 0],
    ['agin', 'aging', 1],
    ['scna', 'scan', 1],
    ['Schedule', 'schedule', 0],
    ['verfy', 'verify', 1],
    ['', 'sla', 3],
    ['kitten', 'sitting', 3],
  ])('should count %j → %j as %i edit(s)', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
    expect(editDistance(b, a)).toBe(expected);
  });
});

describe('closestMatch and didYouMean', () => {
  const commands = ['serve', 'scan', 'aging', 'mine', 'show', 'history', 'digest', 'sla', 'jobs', 'doctor'];

  it('should suggest the nearest candidate for a slip, and the earlier one on a tie', () => {
    expect(closestMatch('agin', commands)).toBe('aging');
    expect(closestMatch('histroy', commands)).toBe('history');
    expect(closestMatch('shw', commands)).toBe('show');
    expect(closestMatch('sen', ['seen', 'sent'])).toBe('seen');
  });

  it('should suggest nothing when every candidate is far off', () => {
    expect(closestMatch('frobnicate', commands)).toBeUndefined();
    expect(closestMatch('frob', ['verify', 'export'])).toBeUndefined();
    expect(didYouMean('frob', ['verify', 'export'])).toBe('');
  });

  it('should phrase the hint to append to a message', () => {
    expect(didYouMean('schedul', ['store', 'schedule'])).toBe('; did you mean "schedule"?');
  });
});
