import type { IDataObject } from 'n8n-workflow';

import { FAILURE_REASON_PATHS } from './api';
import { quoteAnswer } from './errors';

export interface JobRecord extends IDataObject {
	request_id?: string;
	status?: string;
	outcome?: IDataObject | null;
}

export const isRecord = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

function at(record: IDataObject, path: readonly string[]): unknown {
	let value: unknown = record;
	for (const key of path) {
		if (!isRecord(value)) return undefined;
		value = value[key];
	}
	return value;
}

/** Video models answer `video_url`; other models `media_urls[]`. */
export function videoUrlOf(record: JobRecord): string | undefined {
	const outcome = record.outcome;
	if (!isRecord(outcome)) return undefined;
	if (typeof outcome.video_url === 'string' && outcome.video_url) return outcome.video_url;
	const media = outcome.media_urls;
	if (Array.isArray(media)) {
		const first = media.find((entry) => isRecord(entry) && typeof entry.url === 'string');
		if (isRecord(first)) return first.url as string;
	}
	return undefined;
}

export function thumbnailUrlOf(record: JobRecord): string | undefined {
	const outcome = record.outcome;
	if (isRecord(outcome) && typeof outcome.thumbnail_image_url === 'string' && outcome.thumbnail_image_url) {
		return outcome.thumbnail_image_url;
	}
	return undefined;
}

export function failureReasonOf(record: JobRecord): string | undefined {
	for (const path of FAILURE_REASON_PATHS) {
		const value = at(record, path);
		if (typeof value === 'string' && value.trim()) return value.trim();
		if (isRecord(value) && typeof value.message === 'string') return value.message;
	}
	return undefined;
}

/** The API's record as is, plus the convenience fields a workflow reaches for. */
export function withConvenienceFields(record: JobRecord): JobRecord {
	const result: JobRecord = { ...record };
	const videoUrl = videoUrlOf(record);
	const thumbnailUrl = thumbnailUrlOf(record);
	if (videoUrl) result.videoUrl = videoUrl;
	else if (record.status === 'success') {
		// Said, not skipped: a workflow reading videoUrl finds null and the reason beside it.
		result.videoUrl = null;
		result.warning = `GMI reported request ${record.request_id} as finished but gave no result URL (outcome: ${quoteAnswer(record.outcome ?? null)})`;
	}
	if (thumbnailUrl) result.thumbnailUrl = thumbnailUrl;
	if (record.status === 'failed' || record.status === 'cancelled') {
		const reason = failureReasonOf(record);
		if (reason) result.failureReason = reason;
	}
	return result;
}

/** An ISO date-time without `Z` or an offset: GMI's clock is UTC, the host's zone must not apply. */
const ZONELESS_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * A record's creation time in unix seconds (GMI sends seconds; milliseconds and ISO dates are read
 * too, zone-less ones as UTC), or undefined when it carries none that can be read.
 */
export function createdAtOf(record: JobRecord): number | undefined {
	for (const field of ['created_at', 'queued_at']) {
		const value = record[field];
		const text = typeof value === 'string' ? value.trim() : undefined;
		const number = text !== undefined && /^\d+(\.\d+)?$/.test(text) ? Number(text) : value;
		if (typeof number === 'number' && Number.isFinite(number) && number > 0) return Math.floor(number > 1e12 ? number / 1000 : number);
		if (text) {
			const parsed = Date.parse(ZONELESS_DATE_TIME.test(text) ? `${text.replace(' ', 'T')}Z` : text);
			if (!Number.isNaN(parsed)) return Math.floor(parsed / 1000);
		}
	}
	return undefined;
}
