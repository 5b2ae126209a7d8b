import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isFinalStatus } from '../gmi/api';
import { jobPages } from '../gmi/jobPages';
import type { JobRecord } from '../gmi/records';
import { jobItems, jobRecord } from './items';
import { emptyMemory, MEMORY_KEY, recall, settle, type WatchMemory } from './memory';
import { EVERY_HAILUO_MODEL, inScope, matchesEvent, readScope } from './scope';

/** On first activation, jobs already in flight are looked for among this many pages of the newest jobs. */
export const FIRST_ACTIVATION_PAGES = 5;

/** GMI's creation time in unix seconds (milliseconds and ISO dates are read too). */
export function createdAtOf(ctx: IPollFunctions, record: JobRecord): number {
	for (const field of ['created_at', 'queued_at']) {
		const value = record[field];
		const number = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
		if (typeof number === 'number' && Number.isFinite(number)) return number > 1e12 ? Math.floor(number / 1000) : number;
		if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Math.floor(Date.parse(value) / 1000);
	}
	throw new NodeOperationError(ctx.getNode(), `GMI listed job ${String(record.request_id)} without a creation time`, {
		description: `The trigger needs created_at to know which jobs are new. The record has: ${Object.keys(record).join(', ')}.`,
	});
}

/** Jobs in flight below the horizon are asked about one by one, unless paging on finds them cheaper. */
export const SINGLE_CHECKS_PER_POLL = 20;
export const MAX_PAGES_PAST_HORIZON = 10;

/** A page holds up to 100 jobs: past the horizon, it pays to read on while many remembered jobs are still further down. */
function worthPagingOn(memory: WatchMemory, seen: Set<string>, oldestOnPage: number, pagesPastHorizon: number): boolean {
	if (pagesPastHorizon > MAX_PAGES_PAST_HORIZON) return false;
	const below = Object.entries(memory.inFlight).filter(([id, created]) => !seen.has(id) && created <= oldestOnPage);
	return below.length > SINGLE_CHECKS_PER_POLL;
}

/** Polls of one trigger never overlap: a slow poll (many downloads) makes the next one skip. */
const polling = new Set<string>();

/**
 * One poll: walks GMI's job list from the newest job down to the horizon, re-checks every job
 * remembered in flight, and returns each job that reached the chosen status since the last poll
 * (null when none). The memory is replaced in one step at the end, so a poll that fails leaves
 * the previous one in place and the next poll sees the same jobs again.
 */
export async function pollFinishedJobs(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const key = `${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}`;
	if (polling.has(key)) {
		ctx.logger.debug('Hailuo Trigger: the previous poll is still running, this one is skipped');
		return null;
	}
	polling.add(key);
	try {
		return await pollOnce(ctx);
	} finally {
		polling.delete(key);
	}
}

async function pollOnce(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const scope = readScope(ctx);
	const staticData = ctx.getWorkflowStaticData('node');
	const model = scope.modelId ?? EVERY_HAILUO_MODEL;
	const saved = recall(staticData, model);
	const firstActivation = saved === undefined;
	const memory: WatchMemory = saved ?? emptyMemory(model);
	const finished: Array<{ record: JobRecord; created: number }> = [];
	const seen = new Set<string>();
	let newest: number | undefined;

	const handle = (record: JobRecord, id: string, created: number) => {
		if (id in memory.done) return;
		const known = id in memory.inFlight;
		if (!known && memory.horizon !== null && created < memory.horizon) return;
		if (!isFinalStatus(record.status)) {
			memory.inFlight[id] = created;
			return;
		}
		delete memory.inFlight[id];
		memory.done[id] = created;
		// The first activation only learns what exists: nothing that ended before it is replayed.
		if (!firstActivation && matchesEvent(scope, record)) finished.push({ record, created });
	};

	let pages = 0;
	let pagesPastHorizon = 0;
	for await (const page of jobPages(ctx, { modelId: scope.modelId })) {
		pages++;
		let reachedHorizon = memory.horizon !== null;
		let oldest = Number.POSITIVE_INFINITY;
		for (const record of page.records) {
			const id = typeof record.request_id === 'string' ? record.request_id : undefined;
			if (!id) continue;
			const created = createdAtOf(ctx, record);
			newest = Math.max(newest ?? created, created);
			oldest = Math.min(oldest, created);
			if (memory.horizon === null || created >= memory.horizon) reachedHorizon = false;
			if (!inScope(scope, record)) continue;
			seen.add(id);
			handle(record, id, created);
		}
		if (firstActivation ? pages >= FIRST_ACTIVATION_PAGES : reachedHorizon && !worthPagingOn(memory, seen, oldest, ++pagesPastHorizon)) break;
	}

	for (const [id, created] of Object.entries(memory.inFlight)) {
		if (seen.has(id)) continue;
		const { record, gone } = await jobRecord(ctx, id);
		if (gone) {
			ctx.logger.warn(`Hailuo Trigger: request ${id} was in flight and is gone at GMI; it is no longer watched`);
			delete memory.inFlight[id];
		} else if (record) {
			handle(record, id, created);
		}
	}

	for (const id of settle(memory, newest)) {
		ctx.logger.warn(`Hailuo Trigger: request ${id} has been in flight too long and is no longer watched`);
	}
	// The list runs newest first: reversed, jobs created in the same second keep their submit order.
	const oldestFirst = finished.reverse().sort((a, b) => a.created - b.created);
	const items = oldestFirst.length ? await jobItems(ctx, oldestFirst.map(({ record }) => record)) : [];
	staticData[MEMORY_KEY] = memory as unknown as IDataObject;
	return items.length ? [items] : null;
}
