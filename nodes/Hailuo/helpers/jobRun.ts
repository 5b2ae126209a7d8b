import type { IBinaryData, IDataObject, IExecuteFunctions, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { isFinalStatus } from '../../gmi/api';
import { failureReasonOf, type JobRecord, videoUrlOf } from '../../gmi/records';
import type { RunContext } from '../../gmi/transport';
import { downloadVideo } from './download';
import { type ItemInput } from './itemInput';
import { type JobBook, describeJob } from './jobBook';
import { jobOutput } from './output';
import { cancelledWhileWaiting, waitUntilFinal, type WaitSettings } from './wait';

/**
 * What Submit and Get Status share once an item has a job: wait for it, download its video, and
 * turn the run's outcomes into n8n's output, or into the one error a stop-on-fail run ends with.
 */

export type ItemError = NodeOperationError | NodeApiError;

export interface ItemResult {
	index: number;
	json?: IDataObject;
	binary?: Record<string, IBinaryData>;
	error?: ItemError;
	/** What went wrong after GMI accepted the job (a failed download, a timeout), for the run's error. */
	problem?: string;
	timedOut?: boolean;
}

/** What happens to an item's job once it exists. */
export interface AfterSubmit {
	wait?: WaitSettings;
	/** The binary field for the video, when it is downloaded. */
	download?: string;
	simplify: boolean;
}

/** Items are read and checked this many at a time, with a turn of the event loop between slices. */
export const CHECK_SLICE = 50;

/** Runs `check` for every item, a slice at a time, so a thousand items never hold the event loop. */
export async function checkEach<T>(items: ItemInput[], check: (item: ItemInput) => Promise<T>): Promise<Array<T | ItemError>> {
	const checked: Array<T | ItemError> = [];
	for (let start = 0; start < items.length; start += CHECK_SLICE) {
		if (start > 0) await sleep(0);
		const slice = items.slice(start, start + CHECK_SLICE);
		checked.push(...(await Promise.all(slice.map(async (item) => await check(item).catch((error: unknown) => asItemError(error))))));
	}
	return checked;
}

export const isItemError = (value: unknown): value is ItemError => value instanceof NodeOperationError || value instanceof NodeApiError;

export function asItemError(error: unknown, node?: INode, itemIndex?: number): ItemError {
	if (isItemError(error)) return error;
	if (!node) throw error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/**
 * Stop on fail: one invalid item means nothing of the run is sent. The error names the first
 * invalid item (counted from 1) and keeps its own advice.
 */
export function refuseRun(node: INode, checked: unknown[]): void {
	const index = checked.findIndex(isItemError);
	if (index < 0) return;
	const problem = checked[index] as ItemError;
	if (checked.length === 1) throw problem;
	throw new NodeOperationError(node, `Item ${index + 1} of this run is invalid, so no item was sent: ${problem.message}`, {
		itemIndex: index,
		description: `${problem.description ?? ''} Every item of a run is checked before the first request; fix item ${index + 1} (or enable Continue On Fail to send the valid items). Nothing was sent to GMI.`.trim(),
	});
}

function finalFailure(node: INode, itemIndex: number, record: JobRecord): NodeOperationError {
	const reason = failureReasonOf(record) ?? 'GMI gave no reason';
	const rateLimited = /rate.?limit|too many requests|quota/i.test(reason);
	return new NodeOperationError(node, `Video request ${record.request_id} ${record.status === 'cancelled' ? 'was cancelled' : 'failed'}: ${reason}`, {
		itemIndex,
		description: rateLimited
			? 'GMI refused the job because of its rate limit. Submit fewer videos at once (or space the runs out) and try again.'
			: `Request ID: ${record.request_id}. Check the prompt and first frame image, then submit again.`,
	});
}

/**
 * An item's job from its first record on: waited for (when asked), its outcome booked, its video
 * downloaded. Never throws: every outcome is an ItemResult, so the run can speak for all its jobs.
 */
export async function followJob(
	ctx: RunContext,
	book: JobBook,
	item: ItemInput,
	first: JobRecord,
	after: AfterSubmit,
	sent?: IDataObject,
): Promise<ItemResult> {
	const node = ctx.getNode();
	const index = item.index;
	let record = first;
	const extra: IDataObject = {};
	const fail = (error: unknown, problem?: string): ItemResult => {
		const itemError = asItemError(error, node, index);
		return { index, error: itemError, problem, json: jobOutput(record, after.simplify, { ...extra, error: itemError.message }, sent) };
	};
	try {
		if (after.wait) {
			const outcome = await waitUntilFinal(ctx, index, record, after.wait);
			record = outcome.record;
			book.record(index, { requestId: String(record.request_id), status: String(record.status), videoUrl: videoUrlOf(record) });
			if (outcome.timedOut) {
				extra.timedOut = true;
				if (outcome.lastProblem) extra.lastPollProblem = outcome.lastProblem;
				return { index, timedOut: true, problem: 'the wait timed out', json: jobOutput(record, after.simplify, extra, sent) };
			}
			if (record.status !== 'success') return fail(finalFailure(node, index, record));
		}
		const result: ItemResult = { index, json: jobOutput(record, after.simplify, extra, sent) };
		if (after.download && record.status === 'success') {
			try {
				result.binary = { [after.download]: await downloadVideo(ctx, index, record) };
			} catch (error) {
				return fail(error, result.json?.videoUrl ? 'the download failed' : 'GMI gave no video URL');
			}
		}
		return result;
	} catch (error) {
		if (ctx.getExecutionCancelSignal()?.aborted) return fail(cancelledWhileWaiting(node, index, String(record.request_id)));
		return fail(error);
	}
}

/**
 * Stop on fail: n8n shows one error and drops every other item's output, so the error of the first
 * failed item (in item order) lists every other item's job: request id, status, video URL.
 */
export function runError(results: ItemResult[], book: JobBook, failed: ItemResult): ItemError {
	const error = failed.error!;
	const own = book.job(failed.index);
	const sections = [error.description ?? ''];
	if (own?.earlier.length) sections.push(`Earlier tries of this item: ${own.earlier.join('; ')}`);
	const others = results.filter((result) => result.index !== failed.index);
	if (others.some((result) => book.job(result.index))) {
		sections.push(
			`Other jobs of this run (GMI has them, and bills them; fetch any with Get Status and its request ID):\n${others
				.map((result) => describeJob(result.index, book.job(result.index), result.problem ?? (result.error && !book.job(result.index) ? result.error.message : undefined)))
				.join('\n')}`,
		);
	}
	error.description = sections.filter(Boolean).join('\n\n');
	return error;
}

/** Cancelling stops the polling, not the jobs: they keep rendering (and are billed) at GMI. */
function cancelledRun(node: INode, results: ItemResult[], book: JobBook): ItemError | undefined {
	const running = results.flatMap((result) => {
		const job = book.job(result.index);
		return job?.requestId && !isFinalStatus(job.status) ? [job.requestId] : [];
	});
	if (!running.length) return undefined;
	return new NodeOperationError(node, `The execution was cancelled while waiting for video requests ${running.join(', ')}`, {
		description: 'The jobs keep running at GMI. Fetch them later with Get Status and these request IDs.',
	});
}

/** Execution hints above the output; a tool call through RoutingNode has no place for them. */
export function addHints(ctx: RunContext, type: 'info' | 'warning', messages: string[]): void {
	if (!messages.length || !('addExecutionHints' in ctx) || typeof (ctx as IExecuteFunctions).addExecutionHints !== 'function') return;
	(ctx as IExecuteFunctions).addExecutionHints(...messages.map((message) => ({ message, type, location: 'outputPane' as const })));
}

/** n8n's output for the run, or the error it ends with; execution hints say what is not plainly done. */
export function finishRun(ctx: RunContext, results: ItemResult[], book: JobBook): INodeExecutionData[] {
	const node = ctx.getNode();
	results.sort((a, b) => a.index - b.index);
	if (ctx.getExecutionCancelSignal()?.aborted) {
		throw cancelledRun(node, results, book) ?? results.find((result) => result.error)?.error ?? new NodeOperationError(node, 'The execution was cancelled');
	}
	const continueOnFail = ctx.continueOnFail();
	const failed = results.find((result) => result.error);
	if (failed && !continueOnFail) throw runError(results, book, failed);
	const timedOut = results.filter((result) => result.timedOut).length;
	const failures = results.filter((result) => result.error).length;
	const hints: string[] = [];
	if (timedOut) hints.push(`${timedOut} of ${results.length} video jobs were still rendering when the wait timed out (timedOut: true): they go on at GMI, fetch them later with Get Status and their request_id.`);
	if (failures) hints.push(`${failures} of ${results.length} items failed and were passed on with an error field (Continue On Fail).`);
	addHints(ctx, 'warning', hints);
	// A run that ended without an error needs no retry; with failed items n8n may still retry it.
	if (!failures) book.settled();
	// n8n replaces the json of an item carrying `error` by the message alone: an item whose job
	// exists keeps its record (request id, reason) beside the message instead.
	return results.map((result) => {
		const hasRecord = Object.keys(result.json ?? {}).some((key) => key !== 'error');
		return {
			json: result.json ?? { error: result.error?.message ?? 'unknown error' },
			...(result.binary ? { binary: result.binary } : {}),
			...(result.error && !hasRecord ? { error: result.error } : {}),
			pairedItem: { item: result.index },
		};
	});
}

/** The error for an answer that is no JSON (or nothing at all). */
export function unreadableAnswer(node: INode, itemIndex: number, statusCode: number, text: string): NodeApiError {
	return new NodeApiError(node, { statusCode, body: text } as JsonObject, {
		message: text ? 'GMI answered with a body that is not valid JSON' : 'GMI answered with an empty body',
		description: `HTTP ${statusCode}. This is usually temporary: retry, or enable "Retry On Fail" in the node settings.`,
		httpCode: String(statusCode),
		itemIndex,
	});
}
