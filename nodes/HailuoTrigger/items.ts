import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { PATHS } from '../gmi/api';
import { fetchVideo } from '../gmi/download';
import { DOWNLOAD_FIELDS } from '../Hailuo/descriptions/fields';
import { downloadSlots } from '../gmi/concurrency';
import { isRecord, type JobRecord, videoUrlOf, withConvenienceFields } from '../gmi/records';
import { gmiRequest } from '../gmi/transport';

/** GMI's answer for one job, or undefined when it has none to give right now. */
export async function jobRecord(ctx: IPollFunctions, requestId: string): Promise<{ record?: JobRecord; gone: boolean }> {
	try {
		const response = await gmiRequest.call(ctx, 'GET', PATHS.request(requestId));
		if (response.statusCode === 404) return { gone: true };
		const body = response.body;
		if (response.statusCode < 400 && isRecord(body) && typeof body.status === 'string') return { record: body as JobRecord, gone: false };
	} catch {
		// A reset or timeout: the job is asked about again on the next poll.
	}
	return { gone: false };
}

/**
 * The list may abbreviate its records; an item carries what Get Status would return (the prompt
 * in `payload`, the result in `outcome`), so a record lacking them is read in full first.
 */
async function fullRecord(ctx: IPollFunctions, record: JobRecord): Promise<JobRecord> {
	const lacking = !isRecord(record.payload) || (record.status === 'success' && !isRecord(record.outcome));
	if (!lacking || typeof record.request_id !== 'string') return record;
	const { record: full } = await jobRecord(ctx, record.request_id);
	return full ? { ...record, ...full } : record;
}

/**
 * One item per finished job, in the record shape of Get Status; with Download Video on, the video
 * as binary. A failed download does not hold the job back: the item carries `downloadError`
 * instead, since the same job is never emitted again.
 */
export async function jobItems(ctx: IPollFunctions, records: JobRecord[]): Promise<INodeExecutionData[]> {
	const download = ctx.getNodeParameter(DOWNLOAD_FIELDS.downloadVideo.name, false) === true;
	const property = String(ctx.getNodeParameter(DOWNLOAD_FIELDS.binaryPropertyName.name, 'data') || 'data');
	return await Promise.all(
		records.map(async (listed) => {
			const record = await fullRecord(ctx, listed);
			const json: IDataObject = withConvenienceFields(record);
			const url = download && record.status === 'success' ? videoUrlOf(record) : undefined;
			if (!url) return { json };
			try {
				const binary = await downloadSlots.run(async () => await fetchVideo(ctx, record, url));
				return { json, binary: { [property]: binary } };
			} catch (error) {
				return { json: { ...json, downloadError: (error as Error).message } };
			}
		}),
	);
}
