import { sleep } from 'n8n-workflow';

/** A counting semaphore: at most `max` calls run at once, the rest queue in arrival order. */
class Slots {
	private active = 0;

	private readonly queue: Array<() => void> = [];

	constructor(private readonly max: number) {}

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
 * items do not open 500 sockets, and one 429 with Retry-After pauses them all instead of each
 * item discovering the limit on its own.
 */
export const MAX_CONCURRENT_POLLS = 8;
const pollSlots = new Slots(MAX_CONCURRENT_POLLS);
const cooldownUntilByHost = new Map<string, number>();

/**
 * Each download in flight holds a socket and stream buffers: a few at a time keep memory flat
 * however many items finish together, and barely slow the batch.
 */
export const MAX_CONCURRENT_DOWNLOADS = 4;
export const downloadSlots = new Slots(MAX_CONCURRENT_DOWNLOADS);

/** Runs `call` in one of the shared poll slots, after any rate-limit pause for `host`. */
export async function politely<T>(host: string, call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
	return await pollSlots.run(async () => {
		const wait = (cooldownUntilByHost.get(host) ?? 0) - Date.now();
		if (wait > 0) await sleep(wait, signal);
		return await call();
	});
}

/** Everyone polling `host` holds off until `seconds` from now. */
export function coolDown(host: string, seconds: number): void {
	const until = Date.now() + seconds * 1000;
	if (until > (cooldownUntilByHost.get(host) ?? 0)) cooldownUntilByHost.set(host, until);
}

/** Exponential backoff with full jitter, never below what the server asked for. */
export function backoffMs(attempt: number, baseMs: number, retryAfterSeconds?: number, capMs = 60_000): number {
	const exponential = Math.min(capMs, baseMs * 2 ** attempt);
	const jittered = exponential / 2 + Math.random() * (exponential / 2);
	return Math.max(jittered, (retryAfterSeconds ?? 0) * 1000);
}
