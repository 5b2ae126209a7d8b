import type { IDataObject } from 'n8n-workflow';

/**
 * What the trigger remembers between polls, in the workflow's static data (n8n saves it with
 * every emitted poll and on deactivation). Times are GMI's: `created_at` of the jobs, and GMI's
 * HTTP Date for "now" (n8n's clock only when GMI sends no Date).
 *
 * - `horizon`: a job created before it is new only if it was seen unfinished (`inFlight`). First
 *   activation sets it to GMI's clock at that moment, so nothing that ended before activation is
 *   ever emitted; later it trails the newest job seen by LATE_LISTING_MARGIN_SECONDS, so a job
 *   that shows up in GMI's list a little after its creation time is still caught.
 * - `done`: jobs created at or after the horizon whose own record was final and that were handled
 *   (emitted, or not matching). Only these can still show up as "new", so only these are kept.
 * - `inFlight`: jobs seen unfinished (by the list or their own record), re-checked until their
 *   own record is final, however old.
 * - `order`: what GMI's list order was seen to be. Only a list seen newest first (a job listed
 *   after an older one, never after a newer one) lets a pass stop at the horizon; until then, and
 *   for good once a job was listed after an older one, every pass reads the whole list.
 * - `pass`: a read of the list that a poll's bounds cut short, resumed by the next poll.
 */
export interface WatchMemory {
	version: typeof MEMORY_VERSION;
	/** The watched model (`*` for every Hailuo model): another model starts a new memory. */
	model: string;
	horizon: number;
	done: Record<string, number>;
	inFlight: Record<string, number>;
	order: ListOrder;
	pass?: ListPass;
}

export type ListOrder = 'unknown' | 'newest-first' | 'other';

export interface ListPass {
	/** The next page to read. */
	page: number;
	/** The page size asked for: smaller than LIST_PAGE_SIZE once GMI was seen capping it. */
	pageSize: number;
	/** A newest-first pass may stop at a page entirely older than this. */
	floor: number;
	/** GMI's clock when the pass began. */
	startedAt: number;
	/** The newest creation time the pass has seen. */
	newest: number | null;
}

export const MEMORY_VERSION = 2;
export const MEMORY_KEY = 'hailuoJobs';
export const LATE_LISTING_MARGIN_SECONDS = 10 * 60;
export const MAX_REMEMBERED_DONE = 5000;
/** GMI renders in minutes; a job still unfinished a day after its creation is given up on (and logged). */
export const IN_FLIGHT_GIVE_UP_SECONDS = 24 * 60 * 60;
export const MAX_IN_FLIGHT = 1000;

const isNumberMap = (value: unknown): value is Record<string, number> =>
	typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'number');

const isPass = (value: unknown): value is ListPass =>
	typeof value === 'object' &&
	value !== null &&
	['page', 'pageSize', 'floor', 'startedAt'].every((key) => typeof (value as IDataObject)[key] === 'number');

/**
 * A working copy of the saved memory for `model`, or undefined when there is none (first
 * activation). Version 1 (before list order was checked) carries over: same horizon and jobs.
 */
export function recall(staticData: IDataObject, model: string): WatchMemory | undefined {
	const saved = staticData[MEMORY_KEY] as (Partial<WatchMemory> & { version?: number }) | undefined;
	if (!saved || (saved.version !== MEMORY_VERSION && saved.version !== 1) || saved.model !== model) return undefined;
	if (!isNumberMap(saved.done) || !isNumberMap(saved.inFlight) || typeof saved.horizon !== 'number') return undefined;
	return {
		version: MEMORY_VERSION,
		model,
		horizon: saved.horizon,
		done: { ...saved.done },
		inFlight: { ...saved.inFlight },
		order: saved.order === 'newest-first' || saved.order === 'other' ? saved.order : 'unknown',
		...(isPass(saved.pass) ? { pass: { ...saved.pass } } : {}),
	};
}

/** The memory of a first activation: nothing created before `now` (GMI's clock) counts as new. */
export const firstMemory = (model: string, now: number): WatchMemory => ({
	version: MEMORY_VERSION,
	model,
	horizon: now,
	done: {},
	inFlight: {},
	order: 'unknown',
});

/**
 * After a complete pass over the list: moves the horizon up behind the newest job the pass saw
 * (never above where the pass began, so a job listed behind the pass while it ran stays new) and
 * forgets what lies below it. Dropping `done` entries past the cap raises the horizon to the
 * oldest kept one: every dropped job is then strictly below it, so none can count as new again,
 * and jobs of that same second not yet seen still do.
 */
export function raiseHorizon(memory: WatchMemory, pass: ListPass): void {
	if (pass.newest !== null) memory.horizon = Math.max(memory.horizon, Math.min(pass.newest, pass.startedAt) - LATE_LISTING_MARGIN_SECONDS);
	let done = Object.entries(memory.done).filter(([, created]) => created >= memory.horizon);
	if (done.length > MAX_REMEMBERED_DONE) {
		done.sort((a, b) => b[1] - a[1]);
		memory.horizon = done[MAX_REMEMBERED_DONE - 1][1];
		done = done.filter(([, created]) => created >= memory.horizon);
	}
	memory.done = Object.fromEntries(done);
}

/** Gives up on jobs in flight for too long, or past the cap (oldest first); returns their ids. */
export function giveUpStale(memory: WatchMemory, now: number): string[] {
	const givenUp: string[] = [];
	let inFlight = Object.entries(memory.inFlight).filter(([id, created]) => (now - created <= IN_FLIGHT_GIVE_UP_SECONDS ? true : (givenUp.push(id), false)));
	if (inFlight.length > MAX_IN_FLIGHT) {
		inFlight.sort((a, b) => b[1] - a[1]);
		givenUp.push(...inFlight.slice(MAX_IN_FLIGHT).map(([id]) => id));
		inFlight = inFlight.slice(0, MAX_IN_FLIGHT);
	}
	memory.inFlight = Object.fromEntries(inFlight);
	return givenUp;
}
