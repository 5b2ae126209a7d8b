import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { accountKeyOf } from '../../gmi/account';
import { isFinalStatus, PATHS } from '../../gmi/api';
import { backoffMs, isTransientStatus, politely, retryAfterSeconds } from '../../gmi/concurrency';
import { apiError, mostSpecificMessage, quoteAnswer } from '../../gmi/errors';
import { holdAccount, MAX_RATE_LIMIT_PAUSE_SECONDS, pauseAccount } from '../../gmi/rateLimitPause';
import { isRecord, type JobRecord } from '../../gmi/records';
import { CREDENTIAL_TYPE, gmiRequest, jsonBody, type RunContext } from '../../gmi/transport';
import { WAIT_FIELDS } from '../descriptions/fields';
import { DEFAULT_POLL_INTERVAL_SECONDS, DEFAULT_TIMEOUT_SECONDS, MIN_POLL_INTERVAL_SECONDS } from '../hailuo';
import { type Refresh, refreshStatus, type WaitingJob } from './batchRefresh';
import type { ItemInput } from './itemInput';
import { invalidField } from './validation';

export interface WaitSettings {
	intervalMs: number;
	timeoutMs: number;
}

/** The item's wait settings, checked before anything is sent: undefined when it does not wait. */
export function readWaitSettings(node: INode, item: ItemInput): WaitSettings | undefined {
	if (item.param(WAIT_FIELDS.waitUntilDone.name, false) !== true) return undefined;
	const number = (field: (typeof WAIT_FIELDS)['pollInterval' | 'timeout'], fallback: number, min: number) => {
		const raw = item.param(field.name, fallback);
		const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
		if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
			throw invalidField(node, item.index, field, raw, 'is too small or not a number', `a number of at least ${min}`);
		}
		return value * 1000;
	};
	return {
		intervalMs: number(WAIT_FIELDS.pollInterval, DEFAULT_POLL_INTERVAL_SECONDS, MIN_POLL_INTERVAL_SECONDS),
		timeoutMs: number(WAIT_FIELDS.timeout, DEFAULT_TIMEOUT_SECONDS, 0),
	};
}

type PollResult = Refresh | { kind: 'final-error'; error: Error };

/** GMI's job records always carry a status; an answer without one is not a job record. */
export const hasStatus = (record: unknown): boolean => isRecord(record) && typeof record.status === 'string' && record.status.trim() !== '';

/** The error for an answer that is no job record, quoting what GMI sent. */
export function statuslessAnswer(node: INode, itemIndex: number, requestId: string, answer: unknown): NodeOperationError {
	return new NodeOperationError(node, `GMI answered the status of request ${requestId} without a status: ${quoteAnswer(answer)}`, {
		itemIndex,
		description: `The job may still be running at GMI. Request ID: ${requestId}. Try Get Status later.`,
	});
}

export const cancelledWhileWaiting = (node: INode, itemIndex: number, requestId: string): NodeOperationError =>
	new NodeOperationError(node, `The execution was cancelled while waiting for request ${requestId}`, { itemIndex });

/** What an error about one job's own record starts with; a 404 says the job is gone. */
export const requestContext = (statusCode: number, requestId: string): string =>
	statusCode === 404 ? `Request ${requestId} is gone (it may have been deleted, or belong to another organization)` : `Request ${requestId}`;

/** One `GET /requests/{id}`: a record, trouble worth asking again about, or a final error. */
export async function askJob(ctx: RunContext, itemIndex: number, requestId: string, timeoutMs: number): Promise<PollResult> {
	let response;
	try {
		response = await gmiRequest.call(ctx, 'GET', PATHS.request(requestId), { timeout: timeoutMs, abortSignal: ctx.getExecutionCancelSignal() });
	} catch (error) {
		if (ctx.getExecutionCancelSignal()?.aborted) throw cancelledWhileWaiting(ctx.getNode(), itemIndex, requestId);
		// Resets, timeouts and refused connections: the job is still there, ask again later.
		return { kind: 'transient', reason: (error as Error).message ?? 'network error' };
	}
	const { statusCode, body } = response;
	if (isTransientStatus(statusCode)) {
		return { kind: 'transient', reason: `HTTP ${statusCode}${mostSpecificMessage(body) ? `: ${mostSpecificMessage(body)}` : ''}`, retryAfter: retryAfterSeconds(response) };
	}
	if (statusCode >= 400) {
		return { kind: 'final-error', error: apiError(ctx.getNode(), statusCode, body, itemIndex, requestContext(statusCode, requestId)) };
	}
	// Text that is no JSON is a proxy's hiccup: worth asking again.
	const record = jsonBody(body);
	if (!isRecord(record)) return { kind: 'transient', reason: 'GMI answered with an unreadable body' };
	// A readable answer that is not a job record will not become one by asking again.
	if (!hasStatus(record)) return { kind: 'final-error', error: statuslessAnswer(ctx.getNode(), itemIndex, requestId, record) };
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
 * the next poll. At the deadline the job is asked once more, by its own request, so a job that
 * finished in time is never reported as timed out; a timeout returns the last record seen, so the
 * job is never lost.
 */
export async function waitUntilFinal(ctx: RunContext, itemIndex: number, first: JobRecord, settings: WaitSettings): Promise<WaitOutcome> {
	const account = accountKeyOf(await ctx.getCredentials(CREDENTIAL_TYPE));
	// While any wait of the account runs, its rate-limit pause is kept; the last one forgets it.
	const release = holdAccount(account);
	try {
		return await waitForJob(ctx, itemIndex, first, settings, account);
	} finally {
		release();
	}
}

async function waitForJob(ctx: RunContext, itemIndex: number, first: JobRecord, settings: WaitSettings, account: string): Promise<WaitOutcome> {
	const requestId = String(first.request_id);
	const deadline = Date.now() + settings.timeoutMs;
	const ask = async (): Promise<PollResult> =>
		await politely(async () => await askJob(ctx, itemIndex, requestId, Math.max(1000, Math.min(30_000, deadline - Date.now()))));
	let record = first;
	let failures = 0;
	let lastProblem: string | undefined;
	let delay = settings.intervalMs;
	const job: WaitingJob = { account, requestId, model: first.model };
	while (!isFinalStatus(record.status)) {
		if (Date.now() >= deadline) return await lastLook(ask, record, lastProblem);
		const dueAt = Math.min(Date.now() + delay, deadline);
		job.model = record.model;
		const result: PollResult = await refreshStatus(ctx, job, { dueAt, deadline, intervalMs: settings.intervalMs }, ask);
		if (result.kind === 'timeout') return await lastLook(ask, record, lastProblem);
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

/** The deadline passed: the job's own answer, not an older record or the list, decides whether it timed out. */
async function lastLook(ask: () => Promise<PollResult>, record: JobRecord, lastProblem: string | undefined): Promise<WaitOutcome> {
	const result = await ask();
	if (result.kind === 'final-error') throw result.error;
	if (result.kind === 'record') {
		const latest = { ...record, ...result.record };
		return { record: latest, timedOut: !isFinalStatus(latest.status), lastProblem: undefined };
	}
	return { record, timedOut: true, lastProblem: result.kind === 'transient' ? result.reason : lastProblem };
}
