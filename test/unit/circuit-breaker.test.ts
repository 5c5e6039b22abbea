import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../shared/partner-center/circuit-breaker.js';

describe('CircuitBreaker', () => {
  function breaker() {
    let now = 0;
    const circuit = new CircuitBreaker(3, 10, { now: () => new Date(now) });
    return { circuit, advance: (ms: number) => (now += ms) };
  }

  it('opens after the threshold of consecutive failures', () => {
    const { circuit } = breaker();
    circuit.recordFailure();
    circuit.recordFailure();
    expect(circuit.tryAcquire()).toEqual({ allowed: true });
    circuit.recordFailure();
    expect(circuit.isOpen).toBe(true);
    expect(circuit.tryAcquire()).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });

  it('a success resets the count', () => {
    const { circuit } = breaker();
    circuit.recordFailure();
    circuit.recordFailure();
    circuit.recordSuccess();
    circuit.recordFailure();
    expect(circuit.isOpen).toBe(false);
  });

  it('lets one probe through after the open period; its success closes the circuit', () => {
    const { circuit, advance } = breaker();
    for (let i = 0; i < 3; i++) circuit.recordFailure();
    advance(10_000);
    expect(circuit.tryAcquire()).toEqual({ allowed: true });
    expect(circuit.tryAcquire().allowed).toBe(false);
    circuit.recordSuccess();
    expect(circuit.tryAcquire()).toEqual({ allowed: true });
    expect(circuit.isOpen).toBe(false);
  });

  it('a failed probe opens the circuit again', () => {
    const { circuit, advance } = breaker();
    for (let i = 0; i < 3; i++) circuit.recordFailure();
    advance(10_000);
    expect(circuit.tryAcquire().allowed).toBe(true);
    circuit.recordFailure();
    expect(circuit.tryAcquire()).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });
});
