import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { isFinalStatus } from '../gmi/api';
import { jobPages } from '../gmi/jobPages';
import { createdAtOf, type JobRecord } from '../gmi/records';
import { inPool, jobItems, ownRecord, REQUEST_TIMEOUT_MS } from './items';
import {
	firstMemory,
	giveUpStale,
	IN_FLIGHT_GIVE_UP_SECONDS,
	LATE_LISTING_MARGIN_SECONDS,
	MEMORY_KEY,
	raiseHorizon,
	recall,
	type WatchMemory,
} from './memory';
import { EVERY_HAILUO_MODEL, inScope, matchesEvent, matchesFilters, readScope, type Scope } from './scope';

/**
 * Bounds of one poll. Past the time budget (or n8n's own, when it gives one) a poll starts no
 * new request and carries the rest to the next poll; production polls at least a minute apart.
 */
export const POLL_TIME_BUDGET_MS = 40_000;
export const PAGES_PER_POLL = 10;
/** Single `GET /requests/{id}` per poll, and how many run at once. */
export const RECORD_CHECKS_PER_POLL = 100;
export const RECORD_CHECK_POOL = 4;
/** Past its floor, a newest-first pass reads on while more remembered in-flight jobs than this are further down: a page is cheaper than their single checks. */
export const PAGE_ON_OVER_UNSEEN_IN_FLIGHT = 20;
export const MAX_PAGES_PAST_FLOOR = 10;

/** The poll running per trigger (workflow and node) in this n8n process. */
const running = new Map<string, Promise<unknown>>();

/**
 * Polls of one trigger never overlap. A tick that finds a poll running waits for it and returns
 * nothing: returning at once would let n8n release the workflow's expression isolate under the
 * running poll (n8n-core's poll executor releases it after every tick), and the running poll's
 * next request would fail. The running poll's result is the one that counts; what it left
 * undone is in the memory for the next tick.
 */
export async function pollFinishedJobs(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const key = `${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}`;
	const current = running.get(key);
	if (current) {
		ctx.logger.debug('Hailuo Trigger: the previous poll is still running; this tick waits for it and adds nothing');
		await current.catch(() => undefined);
		return null;
	}
	const poll = pollOnce(ctx);
	running.set(key, poll);
	try {
		return await poll;
	} finally {
		running.delete(key);
	}
}

/** n8n 2.x tells a poll how long it may run; n8n 1.x does not. */
function budgetMs(ctx: IPollFunctions): number {
	const engine = typeof ctx.getPollBudgetMs === 'function' ? ctx.getPollBudgetMs() : undefined;
	return typeof engine === 'number' && engine > 0 ? Math.min(engine, POLL_TIME_BUDGET_MS) : POLL_TIME_BUDGET_MS;
}

const nowInSeconds = () => Math.floor(Date.now() / 1000);

interface Finished {
	id: string;
	created: number;
	record: JobRecord;
}

/** A page is cheaper than many single checks: read on while many unseen in-flight jobs are older than this page. */
function worthPagingOn(memory: WatchMemory, seen: Set<string>, oldestOnPage: number, pagesPastFloor: number): boolean {
	if (pagesPastFloor > MAX_PAGES_PAST_FLOOR) return false;
	const below = Object.entries(memory.inFlight).filter(([id, created]) => !seen.has(id) && created <= oldestOnPage);
	return below.length > PAGE_ON_OVER_UNSEEN_IN_FLIGHT;
}

/**
 * What a listed record tells: a job seen unfinished is remembered in flight (if still young
 * enough to end), a job listed final and new is to be confirmed by its own record, a job the
 * filters certainly exclude is handled without asking. Below the horizon only jobs seen in
 * flight count: anything else there ended before the trigger could see it start.
 */
function observe(memory: WatchMemory, scope: Scope, record: JobRecord, id: string, created: number, now: number, toConfirm: Map<string, number>): void {
	if (id in memory.done) return;
	const tracked = id in memory.inFlight;
	const excluded = matchesFilters(scope, record) === false;
	if (!isFinalStatus(record.status)) {
		if (!excluded && (tracked || created >= memory.horizon || now - created <= IN_FLIGHT_GIVE_UP_SECONDS)) memory.inFlight[id] = created;
		else delete memory.inFlight[id];
		return;
	}
	if (!tracked && created < memory.horizon) return;
	if (excluded) {
		delete memory.inFlight[id];
		memory.done[id] = created;
		return;
	}
	toConfirm.set(id, created);
}

/**
 * One poll: reads GMI's job list (resuming a pass a previous poll cut short), confirms every job
 * that looks finished with its own record, and returns the jobs whose own record reached the
 * chosen status since the last poll (null when none), oldest first. The memory is replaced in
 * one step at the end, so a poll that fails leaves the previous one in place and the next poll
 * sees the same jobs again.
 */
async function pollOnce(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const scope = readScope(ctx);
	const deadline = Date.now() + budgetMs(ctx);
	const outOfTime = () => Date.now() >= deadline;
	const staticData = ctx.getWorkflowStaticData('node');
	const model = scope.modelId ?? EVERY_HAILUO_MODEL;
	const saved = recall(staticData, model);
	let memory = saved;
	let pass = saved?.pass;
	let now: number | undefined;
	let complete = true;
	let pages = 0;
	let pagesPastFloor = 0;
	let listed = 0;
	let withoutTime = 0;
	const seen = new Set<string>();
	const toConfirm = new Map<string, number>();

	for await (const page of jobPages(ctx, { modelId: scope.modelId, startPage: pass?.page, pageSize: pass?.pageSize, shortPageMayBeCapped: true, timeoutMs: REQUEST_TIMEOUT_MS })) {
		now = page.serverTime ?? nowInSeconds();
		// First activation: nothing created before GMI's "now" is new; in-flight jobs of the last minutes are looked for.
		memory ??= firstMemory(model, now);
		const current = (pass ??= { page: page.number, pageSize: page.pageSize, floor: saved ? memory.horizon : now - LATE_LISTING_MARGIN_SECONDS, startedAt: now, newest: null });
		pages++;
		let last: number | undefined;
		let oldestOnPage = Number.POSITIVE_INFINITY;
		let newestOnPage = Number.NEGATIVE_INFINITY;
		for (const record of page.records) {
			const id = typeof record.request_id === 'string' ? record.request_id : undefined;
			if (!id) continue;
			listed++;
			const created = createdAtOf(record);
			if (created === undefined) {
				withoutTime++;
				continue;
			}
			if (last !== undefined && created > last && memory.order !== 'other') {
				memory.order = 'other';
				ctx.logger.warn("Hailuo Trigger: GMI's job list is not newest first; from now on every poll reads all of it (a few pages per poll)");
			} else if (last !== undefined && created < last && memory.order === 'unknown') {
				memory.order = 'newest-first';
			}
			last = created;
			current.newest = Math.max(current.newest ?? created, created);
			oldestOnPage = Math.min(oldestOnPage, created);
			newestOnPage = Math.max(newestOnPage, created);
			if (!inScope(scope, record)) continue;
			seen.add(id);
			observe(memory, scope, record, id, created, now, toConfirm);
		}
		current.page = page.number + 1;
		current.pageSize = page.pageSize;
		// An empty page is the end of the list (a resumed pass may start past it).
		if (!page.records.length) break;
		const pastFloor = memory.order === 'newest-first' && newestOnPage < current.floor;
		if (pastFloor && !worthPagingOn(memory, seen, oldestOnPage, ++pagesPastFloor)) break;
		if (pages >= PAGES_PER_POLL || outOfTime()) {
			complete = false;
			break;
		}
	}
	now ??= nowInSeconds();
	memory ??= firstMemory(model, now);

	// In-flight jobs the list did not show are asked about one by one, once the whole list was read.
	const unseen = complete ? Object.entries(memory.inFlight).filter(([id]) => !seen.has(id) && !toConfirm.has(id)) : [];
	// Oldest first; jobs of one second in reverse list order, which is submit order for a newest-first list.
	const byAge = (entries: Array<[string, number]>) =>
		entries
			.map((entry, index) => ({ entry, index }))
			.sort((a, b) => a.entry[1] - b.entry[1] || b.index - a.index)
			.map(({ entry }) => entry);
	const checks = [...byAge([...toConfirm]), ...byAge(unseen)];
	const asked = checks.slice(0, RECORD_CHECKS_PER_POLL);
	const answers = await inPool(asked, RECORD_CHECK_POOL, async ([id]) => await ownRecord(ctx, id), outOfTime);
	const finished: Finished[] = [];
	checks.forEach(([id, created], index) => {
		const answer = answers[index];
		if (answer?.gone) {
			ctx.logger.warn(`Hailuo Trigger: request ${id} is gone at GMI (its own record answers 404); it is no longer watched`);
			delete memory.inFlight[id];
		} else if (answer?.record && isFinalStatus(answer.record.status)) {
			finished.push({ id, created, record: answer.record });
		} else {
			// Not final by its own word, or not asked this poll: asked again next poll.
			memory.inFlight[id] = created;
		}
	});

	finished.sort((a, b) => a.created - b.created);
	const wanted = finished.filter(({ record }) => matchesEvent(scope, record) && matchesFilters(scope, record) === true);
	for (const { id, created } of finished) {
		delete memory.inFlight[id];
		memory.done[id] = created;
	}
	const items = wanted.length ? await jobItems(ctx, wanted.map(({ record }) => record), outOfTime) : [];
	const emitted: INodeExecutionData[] = [];
	items.forEach((item, index) => {
		if (item) {
			emitted.push(item);
			return;
		}
		// Left for the next poll by the time budget: still in flight as far as the memory goes.
		const { id, created } = wanted[index];
		delete memory.done[id];
		memory.inFlight[id] = created;
	});

	if (complete && pass) {
		raiseHorizon(memory, pass);
		delete memory.pass;
	} else if (pass) {
		memory.pass = pass;
	}
	for (const id of giveUpStale(memory, now)) {
		ctx.logger.warn(`Hailuo Trigger: request ${id} has been in flight for more than a day and is no longer watched`);
	}
	if (withoutTime) {
		ctx.logger.warn(`Hailuo Trigger: ${withoutTime} of the ${listed} jobs GMI listed this poll carry no readable created_at and were skipped`);
	}
	staticData[MEMORY_KEY] = memory as unknown as IDataObject;
	return emitted.length ? [emitted] : null;
}
