import type { IDataObject } from 'n8n-workflow';

import { isRecord, type JobRecord, withConvenienceFields } from '../../gmi/records';

/** The fields a workflow chains on, under the names the full record uses too. */
const SIMPLE_FIELDS = ['request_id', 'status', 'model', 'videoUrl', 'failureReason', 'warning', 'created_at', 'updated_at'] as const;

/**
 * What an item of Submit or Get Status returns: GMI's whole record with the convenience fields,
 * or with Simplify on (the default) only what a workflow uses next, plus what the run added
 * (`timedOut`, `lastPollProblem`, …).
 */
export function jobOutput(record: JobRecord, simplify: boolean, extra: IDataObject = {}, sent?: IDataObject): IDataObject {
	const full = withConvenienceFields(record);
	if (!simplify) return { ...full, ...extra };
	const simple: IDataObject = {};
	for (const field of SIMPLE_FIELDS) if (full[field] !== undefined) simple[field] = full[field];
	// Submit's answer is a short record: what was sent fills in what it leaves out.
	const payload = isRecord(record.payload) ? record.payload : (sent ?? {});
	for (const field of ['prompt', 'duration', 'resolution'] as const) if (payload[field] !== undefined) simple[field] = payload[field];
	return { ...simple, ...extra };
}
