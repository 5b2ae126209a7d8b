import { sleep } from 'n8n-workflow';

/**
 * Polls from every item (and every execution in this n8n process) share these, so 500 waiting
 * items do not open 500 sockets, and one 429 with Retry-After pauses them all instead of each
 * item discovering the limit on its own.
 */
export const MAX_CONCURRENT_POLLS = 8;

let active = 0;
const queue: Array<() => void> = [];
const cooldownUntilByHost = new Map<string, number>();

async function acquire(): Promise<void> {
	if (active < MAX_CONCURRENT_POLLS) {
		active++;
		return;
	}
	await new Promise<void>((resolve) => queue.push(resolve));
}

function release(): void {
	const next = queue.shift();
	if (next) next();
	else active--;
}

/** Runs `call` in one of the shared poll slots, after any rate-limit pause for `host`. */
export async function politely<T>(host: string, call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
	await acquire();
	try {
		const wait = (cooldownUntilByHost.get(host) ?? 0) - Date.now();
		if (wait > 0) await sleep(wait, signal);
		return await call();
	} finally {
		release();
	}
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
