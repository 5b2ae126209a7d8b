import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

const MESSAGE_KEYS = ['message', 'detail', 'msg', 'error_message', 'error', 'details'] as const;

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/**
 * GMI's error bodies are undocumented and nest: `{"error": {"message": "<generic>", "details":
 * "<JSON string holding {\"error\":{\"message\":\"<specific>\"}}>"}}`. The deepest message is the
 * one that tells the user what to fix, so dig depth-first and keep the innermost.
 */
export function mostSpecificMessage(body: unknown, depth = 0): string | undefined {
	if (depth > 5 || body === null || body === undefined) return undefined;
	if (typeof body === 'string') {
		const text = body.trim();
		if (!text) return undefined;
		const parsed = parseJson(text);
		if (parsed !== undefined && typeof parsed === 'object') {
			return mostSpecificMessage(parsed, depth + 1) ?? undefined;
		}
		// An HTML error page says nothing useful beyond its title.
		const title = /<title>([^<]*)<\/title>|<h1>([^<]*)<\/h1>/i.exec(text);
		if (title) return (title[1] ?? title[2]).trim();
		if (text.startsWith('<')) return undefined;
		return text.length > 500 ? `${text.slice(0, 500)}…` : text;
	}
	if (typeof body !== 'object' || Array.isArray(body)) return undefined;
	const record = body as IDataObject;
	// `details` may hold a more specific message than `message`, so look inside it first.
	const nested = mostSpecificMessage(record.details, depth + 1) ?? mostSpecificMessage(record.error, depth + 1);
	if (nested) return nested;
	for (const key of MESSAGE_KEYS) {
		const value = record[key];
		if (typeof value === 'string' && value.trim() && !value.trim().startsWith('{')) return value.trim();
	}
	return undefined;
}

const STATUS_HINTS: Record<number, string> = {
	400: 'GMI refused the request as invalid',
	401: 'The API key was rejected',
	403: 'The API key was rejected',
	404: 'Not found',
	429: 'GMI rate limit reached',
};

export function describeHttpFailure(statusCode: number, body: unknown): { message: string; description: string } {
	const specific = mostSpecificMessage(body);
	if (statusCode === 401 || statusCode === 403) {
		return {
			message: `The API key was rejected (HTTP ${statusCode})${specific ? `: ${specific}` : ''}`,
			description:
				'Check the API key (and Organization ID, if you set one) in the "GMI Cloud API" credential.',
		};
	}
	const hint = STATUS_HINTS[statusCode] ?? (statusCode >= 500 ? 'GMI is having trouble' : 'GMI answered with an error');
	return {
		message: `${hint} (HTTP ${statusCode})${specific ? `: ${specific}` : ''}`,
		description:
			statusCode === 429
				? 'Too many requests. Lower the number of items per run, raise the poll interval, or retry later.'
				: statusCode >= 500
					? 'A temporary problem at GMI. Retry later; enable "Retry On Fail" in the node settings to retry automatically.'
					: (specific ?? `HTTP ${statusCode}`),
	};
}

export function apiError(
	node: INode,
	statusCode: number,
	body: unknown,
	itemIndex: number,
	context?: string,
): NodeApiError {
	const { message, description } = describeHttpFailure(statusCode, body);
	return new NodeApiError(node, { statusCode, body: (typeof body === 'object' ? body : String(body ?? '')) } as JsonObject, {
		message: context ? `${context}: ${message}` : message,
		description,
		httpCode: String(statusCode),
		itemIndex,
	});
}

/** Strips query strings (presigned signatures) and credentials from a URL before it reaches a message. */
export function redactUrl(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
	} catch {
		return '(invalid URL)';
	}
}

/** Every URL quoted in `text` (a network error, a storage host's page) loses its query string. */
export const redactUrlsIn = (text: string): string => text.replace(/https?:\/\/\S+/g, (url) => redactUrl(url));

const escapeForRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The key as it can appear in an answer: as is, JSON-escaped (a key holding quotes or
 * backslashes, echoed inside a JSON body), and escaped twice (inside a JSON string in JSON).
 * A long key is masked wherever it appears; a short one only where it stands as a token of its
 * own, since inside longer words a few characters are coincidence, not the key.
 */
function keyPattern(apiKey: string): RegExp {
	const once = JSON.stringify(apiKey).slice(1, -1);
	const forms = [...new Set([apiKey, once, JSON.stringify(once).slice(1, -1)])].sort((a, b) => b.length - a.length);
	const alternatives = forms.map(escapeForRegExp).join('|');
	return apiKey.length >= 8 ? new RegExp(alternatives, 'g') : new RegExp(`(?<![A-Za-z0-9])(?:${alternatives})(?![A-Za-z0-9])`, 'g');
}

const isPlain = (value: object) => [Object.prototype, null].includes(Object.getPrototypeOf(value));

function masked(value: unknown, pattern: RegExp, depth: number): unknown {
	if (typeof value === 'string') return value.replace(pattern, '***');
	if (depth > 20 || typeof value !== 'object' || value === null || !isPlain(value)) return value;
	if (Array.isArray(value)) {
		const entries = value.map((entry) => masked(entry, pattern, depth + 1));
		return entries.some((entry, index) => entry !== value[index]) ? entries : value;
	}
	let changed = false;
	const result: Record<string, unknown> = {};
	for (const [key, entry] of Object.entries(value)) {
		const maskedKey = key.replace(pattern, '***');
		const maskedEntry = masked(entry, pattern, depth + 1);
		changed ||= maskedKey !== key || maskedEntry !== entry;
		result[maskedKey] = maskedEntry;
	}
	return changed ? result : value;
}

/**
 * Some gateways and proxies echo the request's Authorization header into their error pages. The
 * API key is masked in whatever comes back before any of it can reach a message or an item;
 * an answer without the key is returned as the same object.
 */
export function withoutKey<T>(body: T, apiKey: string): T {
	if (!apiKey || body === null || body === undefined) return body;
	return masked(body, keyPattern(apiKey), 0) as T;
}

/** An API answer quoted in a message: compact, URLs without their query strings, never endless. */
export function quoteAnswer(answer: unknown): string {
	const text = redactUrlsIn(typeof answer === 'string' ? answer : (JSON.stringify(answer) ?? String(answer)));
	return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
