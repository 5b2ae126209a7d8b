import { createHash } from 'crypto';

import type { IContextObject, IDataObject, IExecuteFunctions, IExecuteSingleFunctions } from 'n8n-workflow';

import { isFinalStatus } from '../../gmi/api';
import { redactUrl } from '../../gmi/errors';

/** What a run of the node knows of one item's job at GMI. Plain data: n8n keeps it with the execution. */
export interface BookedJob extends IDataObject {
	/** Missing when GMI accepted a submit without naming the job. */
	requestId?: string;
	status: string;
	videoUrl?: string;
	/** Jobs of earlier tries for the same item that failed or were cancelled, as "request X: failed". */
	earlier: string[];
}

/**
 * The jobs GMI accepted for the items of one run of the node, kept in n8n's node context
 * (`getContext('node')`, stored with the execution). Retry On Fail runs the same run of the node
 * again with the same context, so a later try finds every job an earlier try paid for and picks it
 * up instead of submitting it again. Nothing here depends on the order in which n8n calls anything
 * or on object identity: the key is the run index and the item index.
 */
export class JobBook {
	private constructor(private readonly jobs: Record<string, BookedJob>) {}

	/** The book of this run of the node (n8n's `$runIndex`); earlier runs' books are dropped, as no retry can reach them. */
	static ofRun(ctx: IExecuteFunctions): JobBook {
		const context = ctx.getContext('node');
		const runIndex = Number(ctx.getWorkflowDataProxy(0).$thisRunIndex ?? 0);
		const key = `${BOOK_PREFIX}run ${runIndex}`;
		for (const old of Object.keys(context)) if (old.startsWith(`${BOOK_PREFIX}run `) && old !== key) delete context[old];
		return new JobBook(bookIn(context, key));
	}

	/**
	 * An AI agent's tool call: n8n retries it with a new run index each try, so the book is keyed by
	 * what the agent asked for (the tool call's input). A call whose job succeeded forgets it
	 * (`settled`), so asking again for the same video is a new job.
	 */
	static ofToolCall(ctx: IExecuteSingleFunctions): JobBook {
		const input = JSON.stringify(ctx.getInputData().json ?? {});
		const key = `${BOOK_PREFIX}tool ${createHash('sha256').update(input).digest('hex').slice(0, 16)}`;
		return new JobBook(bookIn(ctx.getContext('node'), key));
	}

	job(itemIndex: number): BookedJob | undefined {
		return this.jobs[itemIndex];
	}

	/** Books what is now known of the item's job; a different job than before is remembered as an earlier try. */
	record(itemIndex: number, update: { requestId?: string; status: string; videoUrl?: string }): void {
		const previous = this.jobs[itemIndex];
		const replaced = previous && previous.requestId !== update.requestId ? [`request ${previous.requestId ?? '(no id)'}: ${previous.status}`] : [];
		const job: BookedJob = { status: update.status, earlier: [...(previous?.earlier ?? []), ...replaced] };
		if (update.requestId) job.requestId = update.requestId;
		const videoUrl = update.videoUrl ?? (previous?.requestId === update.requestId ? previous?.videoUrl : undefined);
		if (videoUrl) job.videoUrl = videoUrl;
		this.jobs[itemIndex] = job;
	}

	/** A run that ended without an error needs no retry: its book goes. */
	settled(): void {
		for (const key of Object.keys(this.jobs)) delete this.jobs[key];
	}
}

const BOOK_PREFIX = 'hailuo jobs of ';

function bookIn(context: IContextObject, key: string): Record<string, BookedJob> {
	const existing: unknown = context[key];
	if (typeof existing === 'object' && existing !== null && !Array.isArray(existing)) return existing as Record<string, BookedJob>;
	const created: Record<string, BookedJob> = {};
	context[key] = created;
	return created;
}

/** "• item 2: request abc: success, video https://…/v.mp4" — items counted from 1. */
export function describeJob(itemIndex: number, job: BookedJob | undefined, problem?: string): string {
	if (!job) return `• item ${itemIndex + 1}: not submitted${problem ? ` (${problem})` : ''}`;
	const id = job.requestId ? `request ${job.requestId}` : 'a request GMI gave no id for (look for it in Video → List)';
	const video = job.videoUrl ? `, video ${redactUrl(job.videoUrl)}` : '';
	const state = isFinalStatus(job.status) ? job.status : `${job.status}, still running at GMI`;
	const earlier = job.earlier.length ? `; earlier tries: ${job.earlier.join('; ')}` : '';
	return `• item ${itemIndex + 1}: ${id}: ${state}${video}${problem ? ` (${problem})` : ''}${earlier}`;
}
