/**
 * Rate-limit pauses, one per account (see account.ts). A 429 with Retry-After pauses the polls
 * of that account only; other accounts on the same GMI host go on. A pause is never longer than
 * MAX_RATE_LIMIT_PAUSE_SECONDS (a server asking for an hour is asked again after that), and it
 * is dropped as soon as no wait of its account is running.
 */
export const MAX_RATE_LIMIT_PAUSE_SECONDS = 60;

const pausedUntil = new Map<string, number>();
const waitsByAccount = new Map<string, number>();
const forgetters: Array<(account: string) => void> = [];

/** `forget` runs whenever the last wait of an account ends, so per-account state never outlives it. */
export function onAccountIdle(forget: (account: string) => void): void {
	forgetters.push(forget);
}

/** Marks a wait of `account` as running; call the returned function when it ends. */
export function holdAccount(account: string): () => void {
	waitsByAccount.set(account, (waitsByAccount.get(account) ?? 0) + 1);
	let released = false;
	return () => {
		if (released) return;
		released = true;
		const left = (waitsByAccount.get(account) ?? 1) - 1;
		if (left > 0) return void waitsByAccount.set(account, left);
		waitsByAccount.delete(account);
		pausedUntil.delete(account);
		for (const forget of forgetters) forget(account);
	};
}

/** Every poll of `account` holds off for `retryAfterSeconds`, capped. */
export function pauseAccount(account: string, retryAfterSeconds: number): void {
	if (!waitsByAccount.has(account)) return;
	const until = Date.now() + Math.min(retryAfterSeconds, MAX_RATE_LIMIT_PAUSE_SECONDS) * 1000;
	if (until > (pausedUntil.get(account) ?? 0)) pausedUntil.set(account, until);
}

/** When the pause of `account` ends (ms timestamp), or undefined when it is not paused. */
export function pauseEndOf(account: string): number | undefined {
	const until = pausedUntil.get(account);
	if (until === undefined) return undefined;
	if (until > Date.now()) return until;
	pausedUntil.delete(account);
	return undefined;
}

/** How many accounts this process remembers anything about (pauses or running waits). */
export const rememberedAccounts = (): number => new Set([...pausedUntil.keys(), ...waitsByAccount.keys()]).size;
