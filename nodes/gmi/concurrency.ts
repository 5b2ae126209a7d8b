import type { IN8nHttpFullResponse } from 'n8n-workflow';

/** A counting semaphore: at most `max` calls run at once, the rest queue in arrival order. */
class Slots {
	private active = 0;

	private readonly queue: Array<() => void> = [];

	constructor(private readonly max: number) {}

	get idle(): boolean {
		return this.active === 0 && this.queue.length === 0;
	}

	async run<T>(call: () => Promise<T>): Promise<T> {
		if (this.active < this.max) this.active++;
		else await new Promise<void>((resolve) => this.queue.push(resolve));
		try {
			return await call();
		} finally {
			const next = this.queue.shift();
			if (next) next();
			else this.active--;
		}
	}
}

/**
 * Polls from every item (and every execution in this n8n process) share these, so 500 waiting
 * items do not open 500 sockets. Rate-limit pauses are waited out before taking a slot
 * (rateLimitPause.ts), so a paused account never keeps another one from polling.
 */
export const MAX_CONCURRENT_POLLS = 8;
const pollSlots = new Slots(MAX_CONCURRENT_POLLS);

/**
 * Each download in flight holds a socket and stream buffers: a few at a time keep memory flat
 * however many items finish together, and barely slow the batch.
 */
export const MAX_CONCURRENT_DOWNLOADS = 4;
export const downloadSlots = new Slots(MAX_CONCURRENT_DOWNLOADS);

/**
 * Submits (with their uploads) of one account: a batch of a thousand items sends a few at a
 * time instead of a thousand at once, and two executions on one account share the slots.
 */
export const MAX_CONCURRENT_SUBMITS = 16;
const submitSlots = new Map<string, Slots>();

export async function inSubmitSlot<T>(account: string, call: () => Promise<T>): Promise<T> {
	let slots = submitSlots.get(account);
	if (!slots) {
		slots = new Slots(MAX_CONCURRENT_SUBMITS);
		submitSlots.set(account, slots);
	}
	try {
		return await slots.run(call);
	} finally {
		if (slots.idle && submitSlots.get(account) === slots) submitSlots.delete(account);
	}
}

/** `call` over every value, at most `max` at once; results in the values' order. */
export async function mapConcurrently<T, R>(values: readonly T[], max: number, call: (value: T) => Promise<R>): Promise<R[]> {
	const slots = new Slots(max);
	return await Promise.all(values.map(async (value) => await slots.run(async () => await call(value))));
}

/** Runs `call` in one of the shared poll slots. */
export async function politely<T>(call: () => Promise<T>): Promise<T> {
	return await pollSlots.run(call);
}

/** Worth asking again later: timeouts, rate limits and server trouble. */
export const isTransientStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500;

export function retryAfterSeconds(response: IN8nHttpFullResponse): number | undefined {
	const header = response.headers?.['retry-after'];
	const value = Number(Array.isArray(header) ? header[0] : header);
	return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Exponential backoff with full jitter, never below what the server asked for. */
export function backoffMs(attempt: number, baseMs: number, retryAfterSeconds?: number, capMs = 60_000): number {
	const exponential = Math.min(capMs, baseMs * 2 ** attempt);
	const jittered = exponential / 2 + Math.random() * (exponential / 2);
	return Math.max(jittered, (retryAfterSeconds ?? 0) * 1000);
}
