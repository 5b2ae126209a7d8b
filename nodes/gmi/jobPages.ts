import type { IDataObject, IN8nHttpFullResponse } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { LIST_ARRAY_FIELDS, LIST_PAGE_SIZE, PATHS } from './api';
import { apiError, withoutKey } from './errors';
import { backoffMs, isTransientStatus, retryAfterSeconds } from './concurrency';
import { isRecord, type JobRecord } from './records';
import { CREDENTIAL_TYPE, type GmiContext, gmiRequest, jsonBody, sentKey } from './transport';

export interface JobPageOptions {
	/** Only jobs of this model (GMI's `model_id`); every model when empty. */
	modelId?: string;
	/** Records asked for per page (GMI's `page_size`), at most LIST_PAGE_SIZE. */
	pageSize?: number;
	/** The answer to page 1 when the routing already asked for it (Video → List). */
	firstAnswer?: IN8nHttpFullResponse;
	/** The execution's cancel signal: stops paging and any backoff at once. */
	signal?: AbortSignal;
	/** The item the error is reported on. */
	itemIndex?: number;
}

export interface JobPage {
	/** 1-based page number as sent to GMI. */
	number: number;
	/** This page's records, without any already handed out by an earlier page. */
	records: JobRecord[];
}

/** Transient answers are retried this many times, with the same backoff as the status polls. */
export const LIST_RETRIES = 4;
const RETRY_BASE_MS = 1000;


/** GMI's list shape is undocumented: `total` may come as a number or a numeric string. */
function totalOf(body: unknown): number | undefined {
	if (!isRecord(body)) return undefined;
	const value = typeof body.total === 'string' && body.total.trim() !== '' ? Number(body.total) : body.total;
	return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The records of a list answer in a shape the contract allows (the body, or its first array field), else undefined. */
export function listedRecordsIn(body: unknown): JobRecord[] | undefined {
	if (Array.isArray(body)) return body.filter(isRecord);
	if (!isRecord(body)) return undefined;
	const records = LIST_ARRAY_FIELDS.map((field) => body[field]).find(Array.isArray);
	return records?.filter(isRecord);
}

/**
 * The records of one list answer: the body itself when it is an array, else the first array among
 * the fields the contract names. Any other shape is refused, naming what GMI sent, so a changed
 * API shows as an error instead of an empty list.
 */
export function recordsOfListBody(ctx: GmiContext, body: unknown, itemIndex = 0): JobRecord[] {
	const records = listedRecordsIn(body);
	if (records) return records;
	const found = isRecord(body)
		? `an object with the keys ${Object.keys(body).join(', ') || '(none)'}`
		: typeof body === 'string'
			? 'text that is not JSON'
			: String(body === null ? 'null' : typeof body);
	throw new NodeOperationError(ctx.getNode(), `GMI's job list came in a shape this node does not know: ${found}`, {
		itemIndex,
		description: `Expected a list of jobs, or an object holding one in ${LIST_ARRAY_FIELDS.join(', ')}. Please report this answer shape to the node's maintainers.`,
	});
}

/** One page, with transient trouble (429, 5xx, resets) retried on the polling backoff. */
async function fetchPage(ctx: GmiContext, qs: IDataObject, options: JobPageOptions, first?: IN8nHttpFullResponse): Promise<unknown> {
	const itemIndex = options.itemIndex ?? 0;
	let answer = first;
	for (let attempt = 0; ; attempt++) {
		let problem: string | undefined;
		if (answer === undefined) {
			try {
				answer = await gmiRequest.call(ctx, 'GET', PATHS.requests, { qs, abortSignal: options.signal });
			} catch (error) {
				if (options.signal?.aborted) throw cancelled(ctx, itemIndex);
				problem = (error as Error).message ?? 'network error';
			}
		}
		if (answer && !isTransientStatus(answer.statusCode)) {
			if (answer.statusCode >= 400) throw apiError(ctx.getNode(), answer.statusCode, answer.body, itemIndex, `Listing jobs (page ${String(qs.page)})`);
			return jsonBody(answer.body) ?? answer.body;
		}
		if (attempt >= LIST_RETRIES) {
			if (answer) throw apiError(ctx.getNode(), answer.statusCode, answer.body, itemIndex, `Listing jobs (page ${String(qs.page)}, ${attempt + 1} attempts)`);
			throw new NodeOperationError(ctx.getNode(), `Listing jobs (page ${String(qs.page)}) failed ${attempt + 1} times: ${problem}`, { itemIndex });
		}
		const wait = backoffMs(attempt, RETRY_BASE_MS, answer ? retryAfterSeconds(answer) : undefined);
		answer = undefined;
		try {
			await sleep(wait, options.signal);
		} catch {
			throw cancelled(ctx, itemIndex);
		}
	}
}

const cancelled = (ctx: GmiContext, itemIndex: number) =>
	new NodeOperationError(ctx.getNode(), 'The execution was cancelled while listing jobs', { itemIndex });

/**
 * GMI's job list (`GET /requests`), newest first, one page at a time; the caller stops
 * whenever it has enough (`break`), so only the page in hand is held. Paging ends at an empty
 * page, at `total` (number or numeric string), at a short page when there is no `total`, or at a
 * page identical to the one before (a server that ignores `page`). A job shifted onto the next
 * page by newer submissions is handed out once.
 */
export async function* jobPages(ctx: GmiContext, options: JobPageOptions = {}): AsyncGenerator<JobPage> {
	const pageSize = Math.max(1, Math.min(options.pageSize ?? LIST_PAGE_SIZE, LIST_PAGE_SIZE));
	const filter: IDataObject = options.modelId ? { model_id: options.modelId } : {};
	const key = sentKey(await ctx.getCredentials(CREDENTIAL_TYPE));
	const handedOut = new Set<string>();
	let received = 0;
	let previous: string | undefined;
	for (let number = 1; ; number++) {
		if (options.signal?.aborted) throw cancelled(ctx, options.itemIndex ?? 0);
		const first = number === 1 && options.firstAnswer ? { ...options.firstAnswer, body: withoutKey(options.firstAnswer.body, key) } : undefined;
		const body = await fetchPage(ctx, { ...filter, page: number, page_size: pageSize }, options, first);
		const records = recordsOfListBody(ctx, body, options.itemIndex);
		const fingerprint = JSON.stringify(records);
		if (!records.length || fingerprint === previous) return;
		previous = fingerprint;
		received += records.length;
		const fresh = records.filter((record) => {
			const id = typeof record.request_id === 'string' ? record.request_id : undefined;
			if (id === undefined) return true;
			if (handedOut.has(id)) return false;
			handedOut.add(id);
			return true;
		});
		yield { number, records: fresh };
		const total = totalOf(body);
		const more = total !== undefined ? received < total : records.length >= pageSize;
		if (!more) return;
	}
}
