import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { PATHS } from '../gmi/api';
import { fetchVideo } from '../gmi/download';
import { DOWNLOAD_FIELDS } from '../Hailuo/descriptions/fields';
import { downloadSlots, MAX_CONCURRENT_DOWNLOADS } from '../gmi/concurrency';
import { isRecord, type JobRecord, videoUrlOf, withConvenienceFields } from '../gmi/records';
import { gmiRequest } from '../gmi/transport';

/** n8n sets no time limit on a request: one that never answers must not hold the poll (and the ticks waiting on it). */
export const REQUEST_TIMEOUT_MS = 30_000;

/** What GMI's own record says of one job: the record, `gone` (404), or neither (ask again next poll). */
export interface OwnRecord {
	record?: JobRecord;
	gone: boolean;
}

/** `GET /requests/{id}`: the job's own record, the only word on its outcome. */
export async function ownRecord(ctx: IPollFunctions, requestId: string): Promise<OwnRecord> {
	try {
		const response = await gmiRequest.call(ctx, 'GET', PATHS.request(requestId), { timeout: REQUEST_TIMEOUT_MS });
		if (response.statusCode === 404) return { gone: true };
		const body = response.body;
		if (response.statusCode < 400 && isRecord(body) && typeof body.status === 'string') return { record: body as JobRecord, gone: false };
	} catch {
		// A reset or timeout: the job is asked about again on the next poll.
	}
	return { gone: false };
}

/**
 * Runs `work` over `inputs` with at most `size` at a time, in input order. Once `stop()` says so
 * (the first `size` always start), no more start: the results are then a prefix, the rest undefined.
 */
export async function inPool<T, R>(inputs: T[], size: number, work: (input: T) => Promise<R>, stop: () => boolean): Promise<Array<R | undefined>> {
	const results: Array<R | undefined> = new Array(inputs.length).fill(undefined);
	let next = 0;
	const worker = async () => {
		while (next < inputs.length && !(next >= size && stop())) {
			const index = next++;
			results[index] = await work(inputs[index]);
		}
	};
	await Promise.all(Array.from({ length: Math.min(size, inputs.length) }, worker));
	return results;
}

/**
 * One item per finished job, in the record shape of Get Status (its own record, read this poll);
 * with Download Video on, the video as binary. A failed download does not hold the job back: the
 * item carries `downloadError` instead, since the same job is never emitted again. Downloads stop
 * starting once `stop()` says the poll is out of time (the first few always run): the jobs left
 * out (undefined, always the last ones) are emitted by a later poll.
 */
export async function jobItems(ctx: IPollFunctions, records: JobRecord[], stop: () => boolean): Promise<Array<INodeExecutionData | undefined>> {
	const download = ctx.getNodeParameter(DOWNLOAD_FIELDS.downloadVideo.name, false) === true;
	const property = String(ctx.getNodeParameter(DOWNLOAD_FIELDS.binaryPropertyName.name, 'data') || 'data');
	const itemOf = async (record: JobRecord): Promise<INodeExecutionData> => {
		const json: IDataObject = withConvenienceFields(record);
		const url = download && record.status === 'success' ? videoUrlOf(record) : undefined;
		if (!url) return { json };
		try {
			const binary = await downloadSlots.run(async () => await fetchVideo(ctx, record, url));
			return { json, binary: { [property]: binary } };
		} catch (error) {
			return { json: { ...json, downloadError: (error as Error).message } };
		}
	};
	if (!download) return await Promise.all(records.map(itemOf));
	return await inPool(records, MAX_CONCURRENT_DOWNLOADS, itemOf, stop);
}
