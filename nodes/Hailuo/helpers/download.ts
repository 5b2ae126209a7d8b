import type { IExecuteSingleFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { downloadSlots } from '../../gmi/concurrency';
import { fetchVideo } from '../../gmi/download';
import { type JobRecord, videoUrlOf } from '../../gmi/records';
import { DOWNLOAD_FIELDS } from '../descriptions/fields';
import { rememberJob, withOtherJobs } from './runJobs';
import { shouldWait } from './wait';

/** postReceive after waiting: streams the finished video into n8n's binary data store. */
export async function downloadVideo(this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	if (!shouldWait(this) || this.getNodeParameter(DOWNLOAD_FIELDS.downloadVideo.name, false) !== true) {
		return items;
	}
	const property = String(this.getNodeParameter(DOWNLOAD_FIELDS.binaryPropertyName.name, 'data') || 'data');
	return await Promise.all(
		items.map(async (item) => {
			const record = item.json as JobRecord;
			if (record.status !== 'success' || typeof record.request_id !== 'string') return item;
			const url = videoUrlOf(record);
			try {
				if (!url) {
					throw new NodeOperationError(this.getNode(), `Request ${record.request_id} finished without a video URL, so there is nothing to download`, {
						itemIndex: this.getItemIndex(),
						description: `GMI reported the job as "success" but its outcome holds no result URL. Request ID: ${record.request_id}.`,
					});
				}
				// The slot is held until the stream is stored, which is what bounds memory.
				const binary = await downloadSlots.run(async () => await fetchVideo(this, record, url));
				return { ...item, binary: { ...item.binary, [property]: binary } };
			} catch (error) {
				const failure = error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error, { itemIndex: this.getItemIndex() });
				rememberJob(this, record, url ? 'the download failed' : 'GMI gave no video URL');
				// The job succeeded: its record (request id, videoUrl) stays with the message, as for failed jobs.
				if (this.continueOnFail()) return { ...item, json: { ...item.json, error: failure.message } };
				throw withOtherJobs(this, failure);
			}
		}),
	);
}
