import type { IExecuteSingleFunctions } from 'n8n-workflow';

import { isFinalStatus } from '../../gmi/api';
import { redactUrl } from '../../gmi/errors';
import { type JobRecord, videoUrlOf } from '../../gmi/records';

/** What one run of the node knows of one item's job at GMI. */
export interface RunJob {
	itemIndex: number;
	/** Missing when GMI accepted a submit without naming the job. */
	requestId?: string;
	status: string;
	videoUrl?: string;
	/** What went wrong after GMI accepted the job (a failed download, a timeout). */
	problem?: string;
	/** Set while a Retry On Fail try picks this job up instead of submitting the item again. */
	resumed?: boolean;
	/** Jobs of earlier tries for the same item that failed or were cancelled, as "request X: failed". */
	earlier: string[];
}

interface DescribedError extends Error {
	description?: string | null;
}

interface Run {
	jobs: Map<number, RunJob>;
	/** Stop-on-fail errors of the run, each with the description it had before other jobs were added. */
	errors: Array<{ error: DescribedError; itemIndex: number; own: string }>;
}

/**
 * n8n hands every item of one run of a node, and every Retry On Fail try of that run, the same
 * execute data object; a loop's next run of the node gets a new one. Keyed by it, a run's jobs
 * are shared by its items and its retries, and dropped with the execution.
 */
const runs = new WeakMap<object, Run>();

function runOf(ctx: IExecuteSingleFunctions): Run | undefined {
	const key = ctx.getExecuteData?.();
	if (!key) return undefined;
	let run = runs.get(key);
	if (!run) {
		run = { jobs: new Map(), errors: [] };
		runs.set(key, run);
	}
	return run;
}

const describeJob = (job: RunJob): string => {
	const id = job.requestId ? `request ${job.requestId}` : 'a request GMI gave no id for (look for it in Video → List)';
	const video = job.videoUrl ? `, video ${redactUrl(job.videoUrl)}` : '';
	const state = isFinalStatus(job.status) ? job.status : `${job.status}, still running at GMI`;
	const earlier = job.earlier.length ? `; earlier tries: ${job.earlier.join('; ')}` : '';
	return `• item ${job.itemIndex}: ${id}: ${state}${video}${job.problem ? ` (${job.problem})` : ''}${earlier}`;
};

/**
 * RoutingNode throws a stop-on-fail error only once every item of the run has settled, so an
 * error kept up to date with its siblings' jobs reaches the user with all of them in it.
 */
function refreshErrors(run: Run): void {
	for (const entry of run.errors) {
		const others = [...run.jobs.values()].filter((job) => job.itemIndex !== entry.itemIndex);
		const ownEarlier = run.jobs.get(entry.itemIndex)?.earlier ?? [];
		const sections = [entry.own];
		if (ownEarlier.length) sections.push(`Earlier tries of this item: ${ownEarlier.join('; ')}`);
		if (others.length) {
			sections.push(`Other jobs of this run (GMI has them, and bills them; fetch any with Get Status and its request ID):\n${others.map(describeJob).join('\n')}`);
		}
		entry.error.description = sections.filter(Boolean).join('\n\n');
	}
}

/** Books what is now known of the item's job: its record, and anything that went wrong after. */
export function rememberJob(ctx: IExecuteSingleFunctions, record: JobRecord, problem?: string): void {
	const run = runOf(ctx);
	if (!run) return;
	const itemIndex = ctx.getItemIndex();
	const previous = run.jobs.get(itemIndex);
	const requestId = typeof record.request_id === 'string' ? record.request_id : undefined;
	const replaced = previous && previous.requestId !== requestId ? [`request ${previous.requestId ?? '(no id)'}: ${previous.status}`] : [];
	run.jobs.set(itemIndex, {
		itemIndex,
		requestId,
		status: typeof record.status === 'string' ? record.status : (previous?.status ?? 'accepted'),
		videoUrl: videoUrlOf(record) ?? (previous?.requestId === requestId ? previous?.videoUrl : undefined),
		problem,
		resumed: previous?.requestId === requestId ? previous?.resumed : undefined,
		earlier: [...(previous?.earlier ?? []), ...replaced],
	});
	refreshErrors(run);
}

/** The item's job from an earlier try of this run, if one was accepted. */
export const jobOfItem = (ctx: IExecuteSingleFunctions): RunJob | undefined => runOf(ctx)?.jobs.get(ctx.getItemIndex());

/** Request ids of the run's jobs that have not ended. */
export const unfinishedRequestIds = (ctx: IExecuteSingleFunctions): string[] =>
	[...(runOf(ctx)?.jobs.values() ?? [])]
		.filter((job) => job.requestId && !isFinalStatus(job.status))
		.map((job) => job.requestId as string);

/**
 * In a stop-on-fail run, n8n shows one item's error and drops every other item's result: the
 * error then lists the run's other jobs (request id, status, video URL), so no paid job is lost.
 * With Continue On Fail every item keeps its own result and the error stays as it is.
 */
export function withOtherJobs<E extends DescribedError>(ctx: IExecuteSingleFunctions, error: E): E {
	if (ctx.continueOnFail()) return error;
	const run = runOf(ctx);
	if (!run || run.errors.some((entry) => entry.error === error)) return error;
	run.errors.push({ error, itemIndex: ctx.getItemIndex(), own: error.description ?? '' });
	refreshErrors(run);
	return error;
}
