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
	/** The page to start at (a pass resumed from an earlier poll); 1 by default. */
	startPage?: number;
	/**
	 * A short page without `total` may be a server capping page_size rather than the end: the next
	 * page is asked for at the size served, and only an empty or shorter page ends the list. Costs
	 * one request more at the end of a short list.
	 */
	shortPageMayBeCapped?: boolean;
	/** Per-request time limit (ms); n8n sets none, so a GMI that never answers would hold the caller. */
	timeoutMs?: number;
}

export interface JobPage {
	/** 1-based page number as sent to GMI. */
	number: number;
	/** This page's records, without any already handed out by an earlier page. */
	records: JobRecord[];
	/** The page size the next page is asked for: smaller than asked once the server was seen capping it. */
	pageSize: number;
	/** GMI's clock when it answered (its HTTP Date, unix seconds), when it sent one. */
	serverTime?: number;
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
async function fetchPage(ctx: GmiContext, qs: IDataObject, options: JobPageOptions, first?: IN8nHttpFullResponse): Promise<{ body: unknown; serverTime?: number }> {
	const itemIndex = options.itemIndex ?? 0;
	let answer = first;
	for (let attempt = 0; ; attempt++) {
		let problem: string | undefined;
		if (answer === undefined) {
			try {
				answer = await gmiRequest.call(ctx, 'GET', PATHS.requests, { qs, abortSignal: options.signal, timeout: options.timeoutMs });
			} catch (error) {
				if (options.signal?.aborted) throw cancelled(ctx, itemIndex);
				problem = (error as Error).message ?? 'network error';
			}
		}
		if (answer && !isTransientStatus(answer.statusCode)) {
			if (answer.statusCode >= 400) throw apiError(ctx.getNode(), answer.statusCode, answer.body, itemIndex, `Listing jobs (page ${String(qs.page)})`);
			return { body: jsonBody(answer.body) ?? answer.body, serverTime: serverTimeOf(answer) };
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

function serverTimeOf(answer: IN8nHttpFullResponse): number | undefined {
	const header = answer.headers?.date;
	const parsed = Date.parse(String(Array.isArray(header) ? header[0] : (header ?? '')));
	return Number.isNaN(parsed) ? undefined : Math.floor(parsed / 1000);
}

const cancelled = (ctx: GmiContext, itemIndex: number) =>
	new NodeOperationError(ctx.getNode(), 'The execution was cancelled while listing jobs', { itemIndex });

/**
 * GMI's job list (`GET /requests`) in the order GMI sends it, one page at a time; the caller
 * stops whenever it has enough (`break`), so only the page in hand is held. Paging ends at an
 * empty page, at `total` (number or numeric string), at a short page when there is no `total`
 * (unless `shortPageMayBeCapped`), at a page identical to the one before or holding nothing new
 * (a server that ignores `page`). A page shorter than asked while more are due means the server
 * caps the page size: later pages are asked for at the size it served, so none is skipped. A job
 * shifted onto the next page by newer submissions is handed out once.
 */
export async function* jobPages(ctx: GmiContext, options: JobPageOptions = {}): AsyncGenerator<JobPage> {
	let pageSize = Math.max(1, Math.min(options.pageSize ?? LIST_PAGE_SIZE, LIST_PAGE_SIZE));
	const startPage = Math.max(1, Math.floor(options.startPage ?? 1));
	const filter: IDataObject = options.modelId ? { model_id: options.modelId } : {};
	const key = sentKey(await ctx.getCredentials(CREDENTIAL_TYPE));
	const handedOut = new Set<string>();
	let received = (startPage - 1) * pageSize;
	let previous: string | undefined;
	for (let number = startPage; ; number++) {
		if (options.signal?.aborted) throw cancelled(ctx, options.itemIndex ?? 0);
		const first = number === 1 && options.firstAnswer ? { ...options.firstAnswer, body: withoutKey(options.firstAnswer.body, key) } : undefined;
		const { body, serverTime } = await fetchPage(ctx, { ...filter, page: number, page_size: pageSize }, options, first);
		const records = recordsOfListBody(ctx, body, options.itemIndex);
		const fingerprint = JSON.stringify(records);
		// An empty first page still tells the caller GMI's clock.
		if (!records.length && number === startPage) yield { number, records, pageSize, serverTime };
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
		if (!fresh.length) return;
		const total = totalOf(body);
		const short = records.length < pageSize;
		// Only page 1 can tell a cap from the end: a resumed pass already asks at the size served.
		const capped = short && number === 1 && (total !== undefined ? received < total : options.shortPageMayBeCapped === true);
		if (capped) pageSize = records.length;
		yield { number, records: fresh, pageSize, serverTime };
		const more = total !== undefined ? received < total : capped || !short;
		if (!more) return;
	}
}
