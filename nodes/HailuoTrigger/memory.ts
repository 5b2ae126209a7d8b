import type { IDataObject } from 'n8n-workflow';

/**
 * What the trigger remembers between polls, in the workflow's static data (n8n saves it with
 * every emitted poll and on deactivation). All times are GMI's own `created_at` (unix seconds),
 * so n8n's clock never matters.
 *
 * - `horizon`: every job created before it has been seen, either final (handled) or in flight
 *   (kept in `inFlight`). Jobs below it that are not in flight are never looked at again.
 * - `done`: final jobs created at or after the horizon that were already handled (emitted, or
 *   not matching the event). Only these can still show up as "new", so only these are kept.
 * - `inFlight`: jobs seen unfinished, re-checked every poll until final, however old.
 *
 * The horizon trails the newest job seen by LATE_LISTING_MARGIN_SECONDS, so a job that shows up
 * in GMI's list a little after its creation time is still caught; `done` therefore holds about
 * the jobs of the last ten minutes, capped at MAX_REMEMBERED_DONE. Dropping the oldest entries
 * past the cap is safe because the horizon is raised above them at the same time: a forgotten
 * job sits below the horizon, so it can never be emitted twice (at worst the late-listing margin
 * shrinks while more than MAX_REMEMBERED_DONE jobs finish within ten minutes).
 */
export interface WatchMemory {
	version: typeof MEMORY_VERSION;
	/** The watched model (`*` for every Hailuo model): another model starts a new memory. */
	model: string;
	horizon: number | null;
	done: Record<string, number>;
	inFlight: Record<string, number>;
}

export const MEMORY_VERSION = 1;
export const MEMORY_KEY = 'hailuoJobs';
export const LATE_LISTING_MARGIN_SECONDS = 10 * 60;
export const MAX_REMEMBERED_DONE = 5000;
/** GMI renders in minutes; a job still unfinished a day after newer jobs is given up on (and logged). */
export const IN_FLIGHT_GIVE_UP_SECONDS = 24 * 60 * 60;
export const MAX_IN_FLIGHT = 1000;

const isNumberMap = (value: unknown): value is Record<string, number> =>
	typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'number');

/** A working copy of the saved memory for `model`, or undefined when there is none (first activation). */
export function recall(staticData: IDataObject, model: string): WatchMemory | undefined {
	const saved = staticData[MEMORY_KEY] as Partial<WatchMemory> | undefined;
	if (!saved || saved.version !== MEMORY_VERSION || saved.model !== model) return undefined;
	if (!isNumberMap(saved.done) || !isNumberMap(saved.inFlight)) return undefined;
	return {
		version: MEMORY_VERSION,
		model,
		horizon: typeof saved.horizon === 'number' ? saved.horizon : null,
		done: { ...saved.done },
		inFlight: { ...saved.inFlight },
	};
}

export const emptyMemory = (model: string): WatchMemory => ({ version: MEMORY_VERSION, model, horizon: null, done: {}, inFlight: {} });

/**
 * Moves the horizon up to `newest` minus the margin and forgets what lies below it.
 * Returns the request ids given up on while still in flight.
 */
export function settle(memory: WatchMemory, newest: number | undefined): string[] {
	if (newest !== undefined) memory.horizon = Math.max(memory.horizon ?? Number.NEGATIVE_INFINITY, newest - LATE_LISTING_MARGIN_SECONDS);
	const horizon = memory.horizon;
	if (horizon === null) return [];
	let done = Object.entries(memory.done).filter(([, created]) => created >= horizon);
	if (done.length > MAX_REMEMBERED_DONE) {
		done.sort((a, b) => b[1] - a[1]);
		// Strictly above every dropped job, so none of them can count as new again.
		memory.horizon = done[MAX_REMEMBERED_DONE][1] + 1;
		done = done.filter(([, created]) => created >= (memory.horizon as number));
	}
	memory.done = Object.fromEntries(done);

	const givenUp: string[] = [];
	let inFlight = Object.entries(memory.inFlight);
	if (newest !== undefined) {
		inFlight = inFlight.filter(([id, created]) => (newest - created <= IN_FLIGHT_GIVE_UP_SECONDS ? true : (givenUp.push(id), false)));
	}
	if (inFlight.length > MAX_IN_FLIGHT) {
		inFlight.sort((a, b) => b[1] - a[1]);
		givenUp.push(...inFlight.slice(MAX_IN_FLIGHT).map(([id]) => id));
		inFlight = inFlight.slice(0, MAX_IN_FLIGHT);
	}
	memory.inFlight = Object.fromEntries(inFlight);
	return givenUp;
}
