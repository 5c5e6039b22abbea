/**
 * Identical work started while the same work is in flight shares that work's result instead of
 * repeating it. A caller that needs a result produced after it arrived does not join the flight
 * already running: it joins the one queued to start right after it, which every such caller
 * arriving meanwhile shares. So a burst costs at most two runs, and no answer predates its ask.
 */
export class SingleFlight<T> {
  private readonly flights = new Map<string, Flight<T>>();

  run(key: string, task: () => Promise<T>, options: { joinRunning: boolean }): Promise<T> {
    const flight = this.flights.get(key);
    if (flight === undefined) return this.start(key, task);
    if (options.joinRunning) return flight.running;
    flight.queued ??= flight.running.then(settled, settled).then(() => this.start(key, task));
    return flight.queued;
  }

  /** Keys with work in flight, for tests and diagnostics. */
  get size(): number {
    return this.flights.size;
  }

  private start(key: string, task: () => Promise<T>): Promise<T> {
    const running = Promise.resolve().then(task);
    const flight: Flight<T> = { running };
    this.flights.set(key, flight);
    const forget = (): void => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    };
    running.then(forget, forget);
    return running;
  }
}

interface Flight<T> {
  readonly running: Promise<T>;
  /** The next run, for callers that arrived after `running` started. */
  queued?: Promise<T>;
}

const settled = (): void => undefined;
