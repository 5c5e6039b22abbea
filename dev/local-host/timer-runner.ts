import azureFunctions from '@azure/functions';
import type { Timer, TimerFunctionOptions, TimerTriggerOptions } from '@azure/functions';
import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import { resolveAppSettingReferences, type AppSettings } from './app-settings.js';
import { createLogHandler, describeError, type LogLine } from './invocation-logging.js';

type ScheduleStatus = Timer['scheduleStatus'];

// The host's "never" (.NET's default DateTime), used before a timer has run.
const neverRun = '0001-01-01T00:00:00.000Z';
// A tick that starts later than this after its occurrence is past due.
const pastDueAfterMs = 1000;
// setTimeout cannot wait longer than 2^31-1 ms; longer waits are done in steps.
const longestTimeoutMs = 2 ** 31 - 1;

type Reason = 'schedule' | 'startup' | 'manual';

/**
 * Runs one timer function on its NCRONTAB schedule, like the host's timer listener: one invocation
 * at a time (the host holds a singleton lock), failures logged and never fatal.
 */
export class TimerRunner {
  readonly name: string;
  readonly schedule: string;
  readonly #options: TimerFunctionOptions;
  /** An explicit trigger wins over the shorthand options, as in `app.timer`. */
  readonly #trigger: TimerTriggerOptions;
  readonly #cron: Cron;
  readonly #log: LogLine;
  #status: ScheduleStatus;
  #timeout: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  /** Throws when the schedule refers to a missing setting or is not a six-field NCRONTAB. */
  constructor(name: string, options: TimerFunctionOptions, settings: AppSettings, log: LogLine) {
    this.name = name;
    this.#options = options;
    this.#trigger = options.trigger ?? options;
    this.#log = log;
    this.schedule = resolveAppSettingReferences(
      this.#trigger.schedule,
      settings,
      `Timer function '${name}' schedule '${this.#trigger.schedule}'`,
    );
    this.#cron = parseNcrontab(name, this.schedule);
    const first = this.#cron.nextRun();
    if (first === null) {
      throw new Error(`Timer function '${name}' schedule '${this.schedule}' never occurs.`);
    }
    this.#status = { last: neverRun, next: first.toISOString(), lastUpdated: neverRun };
  }

  start(): void {
    // The first occurrence is the one after start, not after construction: a slow start-up may
    // have passed the one computed then, and the status must name the run that will happen.
    const first = this.#cron.nextRun(new Date());
    if (first !== null) this.#status = { ...this.#status, next: first.toISOString() };
    if (this.#trigger.runOnStartup === true) void this.#invoke(new Date(), 'startup');
    if (first === null) {
      this.#log(`[information] ${this.name}: the schedule has no further occurrences.`);
      return;
    }
    this.#armFor(first);
  }

  /** Runs the function now, after any invocation in progress; resolves when it has finished. */
  /** Whether an invocation, scheduled or on demand, is running now. */
  get isRunning(): boolean {
    return this.#running !== undefined;
  }

  async runNow(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
    if (this.#stopped) {
      this.#log(`[warning] ${this.name}: not run, the host is stopping.`);
      return;
    }
    await this.#invoke(new Date(), 'manual');
  }

  /** Stops the schedule; resolves when the invocation in progress, if any, has finished. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timeout);
    await this.#running;
  }

  #armAfter(reference: Date): void {
    const next = this.#cron.nextRun(reference);
    if (next === null) {
      this.#log(`[information] ${this.name}: the schedule has no further occurrences.`);
      return;
    }
    this.#armFor(next);
  }

  #armFor(occurrence: Date): void {
    if (this.#stopped) return;
    const delay = Math.min(Math.max(occurrence.getTime() - Date.now(), 0), longestTimeoutMs);
    this.#timeout = setTimeout(() => {
      this.#onTimeout(occurrence);
    }, delay);
  }

  #onTimeout(occurrence: Date): void {
    const now = Date.now();
    // A step of a long wait, or a timer that fired a moment early: keep waiting for the occurrence.
    if (now < occurrence.getTime()) {
      this.#armFor(occurrence);
      return;
    }
    // Occurrences missed while the process was suspended are not made up, as in the host.
    this.#armAfter(new Date(Math.max(now, occurrence.getTime())));
    if (this.#running !== undefined) {
      this.#log(
        `[warning] ${this.name}: skipped the ${occurrence.toISOString()} occurrence, ` +
          'the previous invocation is still running.',
      );
      return;
    }
    void this.#invoke(occurrence, 'schedule');
  }

  // Not async: #running must be set before anyone else can look at it.
  #invoke(occurrence: Date, reason: Reason): Promise<void> {
    const run = this.#run(occurrence, reason).finally(() => {
      this.#running = undefined;
    });
    this.#running = run;
    return run;
  }

  async #run(occurrence: Date, reason: Reason): Promise<void> {
    const startedAt = new Date();
    const invocationId = randomUUID();
    const timer: Timer = {
      isPastDue:
        reason === 'schedule' && startedAt.getTime() - occurrence.getTime() > pastDueAfterMs,
      schedule: { adjustForDST: true },
      scheduleStatus: this.#status,
    };
    const context = new azureFunctions.InvocationContext({
      invocationId,
      functionName: this.name,
      logHandler: createLogHandler(this.name, this.#log),
      options: {
        trigger: {
          type: 'timerTrigger',
          name: 'timer',
          schedule: this.schedule,
          runOnStartup: this.#trigger.runOnStartup,
        },
      },
    });
    try {
      await this.#options.handler(timer, context);
    } catch (error) {
      this.#log(
        `[error] ${this.name}: Executed 'Functions.${this.name}' (Failed, Id=${invocationId}, ` +
          `Duration=${Date.now() - startedAt.getTime()}ms) ${describeError(error)}`,
      );
    }
    // As in the host's listener, a scheduled run that began early still counts as its occurrence.
    const last = reason === 'schedule' ? occurrence : startedAt;
    this.#status = {
      last: last.toISOString(),
      next: (this.#cron.nextRun(last) ?? last).toISOString(),
      lastUpdated: last.toISOString(),
    };
  }
}

/**
 * NCRONTAB is `second minute hour day month day-of-week`, in the machine's time zone under
 * `func start`. NCrontab requires both day fields to match when both are restricted.
 */
function parseNcrontab(name: string, schedule: string): Cron {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new Error(
      `Timer function '${name}' schedule '${schedule}' must have six fields ` +
        '(second minute hour day month day-of-week).',
    );
  }
  try {
    return new Cron(schedule, { mode: '6-part', domAndDow: true });
  } catch (error) {
    throw new Error(`Timer function '${name}' schedule '${schedule}' is not valid NCRONTAB.`, {
      cause: error,
    });
  }
}
