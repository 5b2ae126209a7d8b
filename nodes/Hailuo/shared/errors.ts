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

/**
 * Some gateways and proxies echo the request's Authorization header into their error pages. The
 * API key is masked in whatever comes back before any of it can reach a message or an item.
 */
export function withoutKey<T>(body: T, apiKey: string): T {
	// A few characters are no secret, and masking them would garble ordinary text.
	if (apiKey.length < 8 || body === null || body === undefined) return body;
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	if (!text?.includes(apiKey)) return body;
	const masked = text.split(apiKey).join('***');
	return (typeof body === 'string' ? masked : JSON.parse(masked)) as T;
}
