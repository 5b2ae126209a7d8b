import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, IN8nHttpFullResponse, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isFinalStatus, PATHS } from '../../gmi/api';
import { DEFAULT_POLL_INTERVAL_SECONDS, DEFAULT_TIMEOUT_SECONDS, MIN_POLL_INTERVAL_SECONDS } from '../hailuo';
import { accountKeyOf } from '../../gmi/account';
import { type Refresh, refreshStatus } from './batchRefresh';
import { apiError, mostSpecificMessage, quoteAnswer } from '../../gmi/errors';
import { backoffMs, isTransientStatus, politely, retryAfterSeconds } from '../../gmi/concurrency';
import { holdAccount, MAX_RATE_LIMIT_PAUSE_SECONDS, pauseAccount } from '../../gmi/rateLimitPause';
import { failureReasonOf, isRecord, type JobRecord, withConvenienceFields } from '../../gmi/records';
import { rememberJob, unfinishedRequestIds, withOtherJobs } from './runJobs';
import { CREDENTIAL_TYPE, gmiRequest, jsonBody } from '../../gmi/transport';
import { invalidField } from './validation';
import { WAIT_FIELDS } from '../descriptions/fields';

interface WaitSettings {
	intervalMs: number;
	timeoutMs: number;
}

function readWaitSettings(ctx: IExecuteSingleFunctions): WaitSettings {
	const number = (field: (typeof WAIT_FIELDS)['pollInterval' | 'timeout'], fallback: number, min: number) => {
		const raw = ctx.getNodeParameter(field.name, fallback);
		const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
		if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
			throw invalidField(ctx.getNode(), ctx.getItemIndex(), field, raw, 'is too small or not a number', `a number of at least ${min}`);
		}
		return value * 1000;
	};
	return {
		intervalMs: number(WAIT_FIELDS.pollInterval, DEFAULT_POLL_INTERVAL_SECONDS, MIN_POLL_INTERVAL_SECONDS),
		timeoutMs: number(WAIT_FIELDS.timeout, DEFAULT_TIMEOUT_SECONDS, 0),
	};
}

export const shouldWait = (ctx: IExecuteSingleFunctions): boolean =>
	ctx.getNodeParameter(WAIT_FIELDS.waitUntilDone.name, false) === true;

/**
 * First preSend of Submit and Get Status: a bad poll interval or timeout is refused before the
 * job is created (or uploaded for), not after, when its request id would only be in GMI's list.
 */
export async function checkWaitSettings(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	if (shouldWait(this)) readWaitSettings(this);
	return requestOptions;
}

type PollResult = Refresh | { kind: 'final-error'; error: Error };

/** GMI's job records always carry a status; an answer without one is not a job record. */
export const hasStatus = (record: IDataObject): boolean => typeof record.status === 'string' && record.status.trim() !== '';

/** The error for an answer that is no job record, quoting what GMI sent. */
export function statuslessAnswer(ctx: IExecuteSingleFunctions, requestId: string, answer: unknown): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `GMI answered the status of request ${requestId} without a status: ${quoteAnswer(answer)}`, {
		itemIndex: ctx.getItemIndex(),
		description: `The job may still be running at GMI. Request ID: ${requestId}. Try Get Status later.`,
	});
}

async function pollOnce(ctx: IExecuteSingleFunctions, requestId: string, timeoutMs: number): Promise<PollResult> {
	let response: IN8nHttpFullResponse;
	try {
		response = await gmiRequest.call(ctx, 'GET', PATHS.request(requestId), {
			timeout: timeoutMs,
			abortSignal: ctx.getExecutionCancelSignal(),
		});
	} catch (error) {
		if (ctx.getExecutionCancelSignal()?.aborted) {
			throw new NodeOperationError(ctx.getNode(), `The execution was cancelled while waiting for request ${requestId}`, { itemIndex: ctx.getItemIndex() });
		}
		// Resets, timeouts and refused connections: the job is still there, ask again later.
		return { kind: 'transient', reason: (error as Error).message ?? 'network error' };
	}
	const { statusCode, body } = response;
	if (isTransientStatus(statusCode)) {
		return { kind: 'transient', reason: `HTTP ${statusCode}${mostSpecificMessage(body) ? `: ${mostSpecificMessage(body)}` : ''}`, retryAfter: retryAfterSeconds(response) };
	}
	if (statusCode >= 400) {
		const context = statusCode === 404
			? `Request ${requestId} is gone (it may have been deleted, or belong to another organization)`
			: `Request ${requestId}`;
		return { kind: 'final-error', error: apiError(ctx.getNode(), statusCode, body, ctx.getItemIndex(), context) };
	}
	// Text that is no JSON is a proxy's hiccup: worth asking again.
	const record = jsonBody(body);
	if (!isRecord(record)) return { kind: 'transient', reason: 'GMI answered with an unreadable body' };
	// A readable answer that is not a job record will not become one by asking again.
	if (!hasStatus(record)) return { kind: 'final-error', error: statuslessAnswer(ctx, requestId, record) };
	return { kind: 'record', record: record as JobRecord };
}

export interface WaitOutcome {
	record: JobRecord;
	timedOut: boolean;
	lastProblem?: string;
}

/**
 * Polls one job until it reaches a final status or the timeout passes. Jobs of one account wait
 * together (batchRefresh.ts). Transient trouble (429, 5xx, resets, unreadable bodies) only delays
 * the next poll; a timeout returns the last record we saw, so the job is never lost.
 */
export async function pollUntilFinal(ctx: IExecuteSingleFunctions, first: JobRecord, settings: WaitSettings): Promise<WaitOutcome> {
	const account = accountKeyOf(await ctx.getCredentials(CREDENTIAL_TYPE));
	// While any wait of the account runs, its rate-limit pause is kept; the last one forgets it.
	const release = holdAccount(account);
	try {
		return await pollAccountJob(ctx, first, settings, account);
	} finally {
		release();
	}
}

async function pollAccountJob(ctx: IExecuteSingleFunctions, first: JobRecord, settings: WaitSettings, account: string): Promise<WaitOutcome> {
	const requestId = String(first.request_id);
	const deadline = Date.now() + settings.timeoutMs;
	const askJob = async (): Promise<PollResult> => await politely(async () => await pollOnce(ctx, requestId, Math.max(1000, Math.min(30_000, deadline - Date.now()))));
	let record = first;
	let failures = 0;
	let lastProblem: string | undefined;
	let delay = settings.intervalMs;
	while (!isFinalStatus(record.status)) {
		if (Date.now() >= deadline) return { record, timedOut: true, lastProblem };
		const dueAt = Math.min(Date.now() + delay, deadline);
		const result: PollResult = await refreshStatus(ctx, { account, requestId, model: record.model }, dueAt, deadline, askJob);
		if (result.kind === 'timeout') return { record, timedOut: true, lastProblem };
		if (result.kind === 'final-error') throw result.error;
		if (result.kind === 'paused') {
			lastProblem ??= 'HTTP 429: GMI asked this account to wait (Retry-After)';
			delay = result.until - Date.now();
			continue;
		}
		if (result.kind === 'transient') {
			lastProblem = result.reason;
			const retryAfter = result.retryAfter === undefined ? undefined : Math.min(result.retryAfter, MAX_RATE_LIMIT_PAUSE_SECONDS);
			if (retryAfter !== undefined) pauseAccount(account, retryAfter);
			delay = backoffMs(failures++, settings.intervalMs / 2, retryAfter);
			continue;
		}
		failures = 0;
		lastProblem = undefined;
		// The next poll is due one interval after this one was, not after its answer came: a slow
		// round of a big batch does not stretch every interval.
		delay = Math.max(settings.intervalMs / 2, dueAt + settings.intervalMs - Date.now());
		record = { ...record, ...result.record };
	}
	return { record, timedOut: false, lastProblem };
}

function finalFailure(ctx: IExecuteSingleFunctions, record: JobRecord): NodeOperationError {
	const reason = failureReasonOf(record) ?? 'GMI gave no reason';
	const rateLimited = /rate.?limit|too many requests|quota/i.test(reason);
	return new NodeOperationError(ctx.getNode(), `Video request ${record.request_id} ${record.status === 'cancelled' ? 'was cancelled' : 'failed'}: ${reason}`, {
		itemIndex: ctx.getItemIndex(),
		description: rateLimited
			? 'GMI refused the job because of its rate limit. Submit fewer videos at once (or space the runs out) and try again.'
			: `Request ID: ${record.request_id}. Check the prompt and first frame image, then submit again.`,
	});
}

/**
 * Cancelling stops the polling, not the jobs: they keep rendering (and are billed) at GMI, so
 * the error names every job of the run that had not ended.
 */
function cancelledWhileWaiting(ctx: IExecuteSingleFunctions, requestId: string): NodeOperationError {
	const running = [...new Set([requestId, ...unfinishedRequestIds(ctx)])];
	return new NodeOperationError(ctx.getNode(), `The execution was cancelled while waiting for video requests ${running.join(', ')}`, {
		itemIndex: ctx.getItemIndex(),
		description: 'The jobs keep running at GMI. Fetch them later with Get Status and these request IDs.',
	});
}

async function waitFor(ctx: IExecuteSingleFunctions, record: JobRecord, settings: WaitSettings): Promise<WaitOutcome> {
	try {
		return await pollUntilFinal(ctx, record, settings);
	} catch (error) {
		if (ctx.getExecutionCancelSignal()?.aborted) throw cancelledWhileWaiting(ctx, String(record.request_id));
		throw withOtherJobs(ctx, error as Error);
	}
}

/**
 * postReceive of Submit and Get Status: with "Wait Until Done" on, turns the job record into
 * its final record (or a `timedOut` record) and fails the item if the job failed.
 */
export async function waitUntilDone(this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const wait = shouldWait(this);
	const settings = wait ? readWaitSettings(this) : undefined;
	return await Promise.all(
		items.map(async (item) => {
			const record = item.json as JobRecord;
			if (!settings || typeof record.request_id !== 'string') return { ...item, json: withConvenienceFields(record) };
			const outcome = await waitFor(this, record, settings);
			const json: IDataObject = withConvenienceFields(outcome.record);
			if (outcome.timedOut) {
				rememberJob(this, outcome.record, 'the wait timed out');
				json.timedOut = true;
				if (outcome.lastProblem) json.lastPollProblem = outcome.lastProblem;
				return { ...item, json };
			}
			rememberJob(this, outcome.record);
			if (outcome.record.status !== 'success') {
				const error = finalFailure(this, outcome.record);
				// n8n would replace the json of an item carrying `error` by the message alone; the
				// record (request id, reason) is what the user needs, so it stays with the message.
				if (this.continueOnFail()) return { ...item, json: { ...json, error: error.message } };
				throw withOtherJobs(this, error);
			}
			return { ...item, json };
		}),
	);
}
