import { describe, expect, it } from 'vitest';
import { inFlight, untilLogged } from '../support/in-flight.js';
import { connect, requestToken, useSimulators } from '../support/paloalto.js';

const start = useSimulators();
/** Long enough that a token request and an undelayed API call answer well inside it, even on a loaded machine. */
const LATENCY_MS = 2_000;
const SNIPPETS_ROUTE = 'GET /v4/incidents/{incident_id}/snippets';

describe('Palo Alto simulator: setLatency', () => {
  it('should delay API requests from the moment it is set, not token requests, until set back to 0', async () => {
    const sim = await start();
    const api = await connect(sim);
    sim.setLatency(LATENCY_MS);
    const slow = inFlight(() => api.get('/incidents/1000001/snippets'));
    await untilLogged(() => sim.requests(), SNIPPETS_ROUTE);

    // A token request made after the delayed call answers while that call still waits: tokens are not delayed
    // (delayed too, it would have waited longer than the call that started first).
    expect((await requestToken(sim)).status).toBe(200);
    expect(slow.settled()).toBe(false);
    // Set back to 0, the next API call is not delayed; the call made under the latency still waits it out.
    sim.setLatency(0);
    expect((await api.get('/incidents?limit=1')).status).toBe(200);
    expect(slow.settled()).toBe(false);

    expect((await slow.result).status).toBe(200);
    expect(slow.elapsedMs()).toBeGreaterThanOrEqual(LATENCY_MS - 10);
  });

  it('should refuse a negative or fractional latency', async () => {
    const sim = await start();
    expect(() => sim.setLatency(-1)).toThrow(RangeError);
    expect(() => sim.setLatency(1.5)).toThrow(RangeError);
  });
});
