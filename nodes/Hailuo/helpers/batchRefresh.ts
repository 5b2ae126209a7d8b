import type { IN8nHttpFullResponse } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { isFinalStatus, LIST_PAGE_SIZE, PATHS } from '../../gmi/api';
import { listedRecordsIn } from '../../gmi/jobPages';
import { isTransientStatus, politely, retryAfterSeconds } from '../../gmi/concurrency';
import { onAccountIdle, pauseAccount, pauseEndOf } from '../../gmi/rateLimitPause';
import { isRecord, type JobRecord } from '../../gmi/records';
import { type GmiContext, gmiRequest, jsonBody, type RunContext } from '../../gmi/transport';

/**
 * Batch status refresh: the jobs of one account and model that wait at the same time (in one
 * execution or in several) are refreshed by one read of `GET /requests?model_id=…` per round (a
 * page per 100 waiting jobs, asked together, and at most EXTRA_PAGES more) instead of one
 * `GET /requests/{id}` per job.
 *
 * The list only ever says "still running". A job the list shows as finished, failed or
 * cancelled, a job it does not show, and every job when the list answers in a shape this
 * package cannot trust, is asked about with its own request: what the user gets is always the
 * job's own final record, never the list's. A list that keeps saying "running" is checked too:
 * each round, one listed job that has not had its own answer for SPOT_CHECK_INTERVALS intervals
 * asks itself, and a job the list called running that its own record shows finished makes the
 * group stop trusting the list; and a wait never ends on the list's word (wait.ts asks the job
 * itself at the deadline).
 */

export type Refresh =
	| { kind: 'record'; record: JobRecord }
	| { kind: 'transient'; reason: string; retryAfter?: number }
	| { kind: 'paused'; until: number }
	| { kind: 'timeout' };

export interface WaitingJob {
	account: string;
	requestId: string;
	model: unknown;
	/** When the list's word for this job is next checked against its own record (a spot check). */
	spotCheckAt?: number;
}

type ListVerdict = { kind: 'in-flight'; record: JobRecord } | { kind: 'ask-job'; spotCheck?: boolean } | { kind: 'transient'; reason: string; retryAfter?: number } | { kind: 'paused'; until: number };

interface Waiter {
	requestId: string;
	job: WaitingJob;
	dueAt: number;
	ctx: GmiContext;
	settle(verdict: ListVerdict): void;
	abort(reason: Error): void;
	signal: AbortSignal | undefined;
}

const abortReason = (signal: AbortSignal): Error => (signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason ?? 'aborted')));

/**
 * The waiters of each execution's cancel signal, behind one listener per signal: a thousand items
 * of one execution re-registering every round would otherwise add and remove a thousand listeners.
 */
const waitersBySignal = new WeakMap<AbortSignal, Set<Waiter>>();

function waitersOf(signal: AbortSignal): Set<Waiter> {
	let waiters = waitersBySignal.get(signal);
	if (!waiters) {
		const created = new Set<Waiter>();
		waiters = created;
		waitersBySignal.set(signal, created);
		signal.addEventListener('abort', () => {
			waitersBySignal.delete(signal);
			for (const waiter of [...created]) waiter.abort(abortReason(signal));
		}, { once: true });
	}
	return waiters;
}

function forgetWaiter(signal: AbortSignal, waiter: Waiter): void {
	waitersBySignal.get(signal)?.delete(waiter);
}

/** Timers fire a little late; a waiter due within this is served by the round that is running. */
const DUE_SLACK_MS = 50;
/** A list request may take as long as a poll: GMI answers it or the round counts as trouble. */
const LIST_TIMEOUT_MS = 30_000;
/** Jobs settled per turn of the event loop after a round. */
const SETTLE_SLICE = 100;
/** A job the list keeps calling running asks itself after this many intervals without its own answer (one job per round). */
const SPOT_CHECK_INTERVALS = 10;
/** Beyond the pages the waiting jobs fill, this many more are read before the rest ask one by one. */
const EXTRA_PAGES = 2;

/** The records of a list answer, or undefined when its shape is not one the contract allows. */
function listedRecords(body: unknown): JobRecord[] | undefined {
	return listedRecordsIn(jsonBody(body))?.filter((record) => typeof record.request_id === 'string' && typeof record.status === 'string');
}

/** `total` counts every job (a number or a numeric string); without it only a full page hints at more. */
function morePagesAfter(body: unknown, page: number, received: number): boolean {
	const total = isRecord(body) ? Number(body.total) : Number.NaN;
	if (Number.isFinite(total)) return page * LIST_PAGE_SIZE < total;
	return received >= LIST_PAGE_SIZE;
}

type ListAnswer = { kind: 'records'; byId: Map<string, JobRecord> } | { kind: 'untrusted' } | { kind: 'transient'; reason: string; retryAfter?: number };

type PageAnswer = { response: IN8nHttpFullResponse } | { problem: string };

async function listPage(ctx: GmiContext, model: string, page: number): Promise<PageAnswer> {
	try {
		return { response: await politely(async () => await gmiRequest.call(ctx, 'GET', PATHS.requests, { qs: { model_id: model, page, page_size: LIST_PAGE_SIZE }, timeout: LIST_TIMEOUT_MS })) };
	} catch (error) {
		return { problem: (error as Error).message ?? 'network error' };
	}
}

/**
 * Reads the newest pages of the model's jobs until every wanted job is seen or the list ends.
 * The pages the waiting jobs fill are asked for together, so a round of a thousand jobs takes
 * about one request's time; later pages one by one.
 */
async function readList(ctx: GmiContext, model: string, wanted: Set<string>): Promise<ListAnswer> {
	const byId = new Map<string, JobRecord>();
	const filled = Math.ceil(wanted.size / LIST_PAGE_SIZE);
	const together = Array.from({ length: filled }, async (_, index) => await listPage(ctx, model, index + 1));
	let previousFirst: string | undefined;
	for (let page = 1; page <= filled + EXTRA_PAGES; page++) {
		const answer = await (together[page - 1] ?? listPage(ctx, model, page));
		if ('problem' in answer) {
			if (page === 1) return { kind: 'transient', reason: answer.problem };
			break;
		}
		const { response } = answer;
		if (isTransientStatus(response.statusCode)) {
			const retryAfter = retryAfterSeconds(response);
			if (page === 1 || retryAfter !== undefined) return { kind: 'transient', reason: `HTTP ${response.statusCode} listing jobs`, retryAfter };
			break;
		}
		// A refused list (an account without it, a gateway) says nothing about the jobs: they ask themselves.
		if (response.statusCode >= 400) return { kind: 'untrusted' };
		const records = listedRecords(response.body);
		if (!records) return page === 1 ? { kind: 'untrusted' } : { kind: 'records', byId };
		// A server that ignores `page` answers the first page again.
		if (!records.length || records[0].request_id === previousFirst) break;
		previousFirst = records[0].request_id;
		for (const record of records) if (wanted.has(record.request_id!)) byId.set(record.request_id!, record);
		if (byId.size === wanted.size || !morePagesAfter(response.body, page, records.length)) break;
	}
	return { kind: 'records', byId };
}

/** The jobs of one account and model that are waiting now, and the one timer that refreshes them. */
class WaitingGroup {
	private readonly waiters = new Set<Waiter>();

	/** Aborting it drops the scheduled round (n8n's sleep is the timer community nodes may use). */
	private timer: AbortController | undefined;

	private timerAt = Number.POSITIVE_INFINITY;

	private listing = false;


	constructor(
		private readonly account: string,
		private readonly model: string,
		private readonly key: string,
		private readonly onEmpty: () => void,
	) {}

	async next(ctx: GmiContext, job: WaitingJob, dueAt: number, signal: AbortSignal | undefined): Promise<ListVerdict> {
		const requestId = job.requestId;
		return await new Promise<ListVerdict>((resolve, reject) => {
			if (signal?.aborted) return reject(abortReason(signal));
			const waiter: Waiter = {
				requestId,
				job,
				dueAt,
				ctx,
				settle: (verdict) => {
					this.remove(waiter);
					resolve(verdict);
				},
				abort: (reason) => {
					this.remove(waiter);
					reject(reason);
				},
				signal,
			};
			this.waiters.add(waiter);
			if (signal) waitersOf(signal).add(waiter);
			// One comparison per new waiter: a thousand jobs re-registering after a round stay linear.
			if (!this.listing && dueAt < this.timerAt) this.startTimer(dueAt);
		});
	}

	private remove(waiter: Waiter): void {
		this.waiters.delete(waiter);
		if (waiter.signal) forgetWaiter(waiter.signal, waiter);
		if (this.waiters.size === 0 && !this.listing) {
			this.timer?.abort();
			this.timer = undefined;
			this.timerAt = Number.POSITIVE_INFINITY;
			this.onEmpty();
		}
	}

	private schedule(): void {
		if (this.listing || this.waiters.size === 0) return;
		let earliest = Number.POSITIVE_INFINITY;
		for (const waiter of this.waiters) earliest = Math.min(earliest, waiter.dueAt);
		if (earliest < this.timerAt) this.startTimer(earliest);
	}

	private startTimer(earliest: number): void {
		this.timer?.abort();
		const timer = new AbortController();
		this.timer = timer;
		this.timerAt = earliest;
		sleep(Math.max(0, earliest - Date.now()), timer.signal).then(
			async () => await this.round(),
			() => undefined,
		);
	}

	private due(): Waiter[] {
		const now = Date.now() + DUE_SLACK_MS;
		return [...this.waiters].filter((waiter) => waiter.dueAt <= now);
	}

	private async round(): Promise<void> {
		this.timer = undefined;
		this.timerAt = Number.POSITIVE_INFINITY;
		const due = this.due();
		const pauseEnd = pauseEndOf(this.account);
		if (!due.length || pauseEnd !== undefined || untrustedLists.has(this.key) || this.waiters.size < 2) {
			const verdict: ListVerdict = pauseEnd !== undefined ? { kind: 'paused', until: pauseEnd } : { kind: 'ask-job' };
			for (const waiter of due) waiter.settle(verdict);
			return this.schedule();
		}
		this.listing = true;
		try {
			let answer: ListAnswer;
			try {
				answer = await readList(due[0].ctx, this.model, new Set([...this.waiters].map((waiter) => waiter.requestId)));
			} catch (error) {
				answer = { kind: 'transient', reason: (error as Error).message ?? 'listing jobs failed' };
			}
			await this.settleAfter(answer);
		} finally {
			this.listing = false;
		}
		if (this.waiters.size === 0) this.onEmpty();
		else this.schedule();
	}

	private async settleAfter(answer: ListAnswer): Promise<void> {
		const due = new Set(this.due());
		const verdicts: Array<[Waiter, ListVerdict]> = [];
		if (answer.kind === 'transient') {
			if (answer.retryAfter !== undefined) pauseAccount(this.account, answer.retryAfter);
			for (const waiter of due) verdicts.push([waiter, answer]);
		} else if (answer.kind === 'untrusted') {
			untrustedLists.add(this.key);
			for (const waiter of due) verdicts.push([waiter, { kind: 'ask-job' }]);
		} else {
			let spotCheck: [Waiter, number, number] | undefined;
			const now = Date.now();
			for (const waiter of this.waiters) {
				const record = answer.byId.get(waiter.requestId);
				if (record && !isFinalStatus(record.status)) {
					const index = verdicts.push([waiter, { kind: 'in-flight', record }]) - 1;
					const checkAt = waiter.job.spotCheckAt ?? now;
					if (due.has(waiter) && checkAt <= now && (!spotCheck || checkAt < spotCheck[2])) spotCheck = [waiter, index, checkAt];
				} else if (record || due.has(waiter)) verdicts.push([waiter, { kind: 'ask-job' }]);
			}
			if (spotCheck) verdicts[spotCheck[1]] = [spotCheck[0], { kind: 'ask-job', spotCheck: true }];
		}
		// Each settled job runs its next step at once: in slices, so a thousand of them never hold
		// the event loop (and with it the editor and other executions) for long.
		for (let index = 0; index < verdicts.length; index++) {
			const [waiter, verdict] = verdicts[index];
			waiter.settle(verdict);
			if ((index + 1) % SETTLE_SLICE === 0) await sleep(0);
		}
	}
}

const groups = new Map<string, WaitingGroup>();

/** A job the list called running turned out finished: the group's jobs ask themselves from now on. */
function distrustList(job: WaitingJob): void {
	if (typeof job.model === 'string' && job.model) untrustedLists.add(`${job.account}\n${job.model}`);
}
/**
 * Groups whose list answered in a shape we cannot trust: their jobs ask one by one until no
 * wait of the account is left (the next batch tries the list again).
 */
const untrustedLists = new Set<string>();
onAccountIdle((account) => {
	for (const key of untrustedLists) if (key.startsWith(`${account}\n`)) untrustedLists.delete(key);
});

function groupOf(account: string, model: string): WaitingGroup {
	const key = `${account}\n${model}`;
	let group = groups.get(key);
	if (!group) {
		const created = new WaitingGroup(account, model, key, () => {
			if (groups.get(key) === created) groups.delete(key);
		});
		group = created;
		groups.set(key, group);
	}
	return group;
}

/** How many account-and-model groups this process remembers (waiting jobs or an untrusted list). */
export const waitingGroups = (): number => new Set([...groups.keys(), ...untrustedLists]).size;

/**
 * The next status of `job`, due at `dueAt`: from the account's shared list round when the list
 * shows the job still running, otherwise from `askJob` (its own request). Any rate-limit pause
 * of the account is waited out before asking, outside the shared poll slots.
 */
export async function refreshStatus<Asked extends { kind: string }>(
	ctx: RunContext,
	job: WaitingJob,
	timing: { dueAt: number; deadline: number; intervalMs: number },
	askJob: () => Promise<Asked>,
): Promise<Refresh | Asked> {
	const { dueAt, deadline, intervalMs } = timing;
	const signal = ctx.getExecutionCancelSignal();
	const group = typeof job.model === 'string' && job.model ? groupOf(job.account, job.model) : undefined;
	job.spotCheckAt ??= Date.now() + SPOT_CHECK_INTERVALS * intervalMs;
	let verdict: ListVerdict = { kind: 'ask-job' };
	if (group) verdict = await group.next(ctx, job, dueAt, signal);
	else await sleep(Math.max(0, dueAt - Date.now()), signal);
	if (verdict.kind === 'in-flight') return { kind: 'record', record: verdict.record };
	if (verdict.kind !== 'ask-job') return verdict;
	if (Date.now() >= deadline) return { kind: 'timeout' };
	// A 429 may have paused the account while this job waited for its round.
	const pauseEnd = pauseEndOf(job.account);
	if (pauseEnd !== undefined) return { kind: 'paused', until: pauseEnd };
	const answer = await askJob();
	job.spotCheckAt = Date.now() + SPOT_CHECK_INTERVALS * intervalMs;
	if (verdict.spotCheck && answer.kind === 'record' && isFinalStatus((answer as unknown as { record: JobRecord }).record.status)) distrustList(job);
	return answer;
}
