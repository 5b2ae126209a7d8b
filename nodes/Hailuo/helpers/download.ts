import type { IBinaryData, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { downloadSlots } from '../../gmi/concurrency';
import { fetchVideo } from '../../gmi/download';
import { type JobRecord, videoUrlOf } from '../../gmi/records';
import type { RunContext } from '../../gmi/transport';
import { DOWNLOAD_FIELDS } from '../descriptions/fields';
import type { ItemInput } from './itemInput';

/** The binary field an item's finished video goes into, or undefined when it is not downloaded. */
export function readDownloadField(item: ItemInput): string | undefined {
	if (item.param(DOWNLOAD_FIELDS.downloadVideo.name, false) !== true) return undefined;
	return String(item.param(DOWNLOAD_FIELDS.binaryPropertyName.name, 'data') || 'data');
}

export const noVideoUrl = (node: INode, itemIndex: number, record: JobRecord): NodeOperationError =>
	new NodeOperationError(node, `Request ${record.request_id} finished without a video URL, so there is nothing to download`, {
		itemIndex,
		description: `GMI reported the job as "success" but its outcome holds no result URL. Request ID: ${record.request_id}.`,
	});

/**
 * Streams a finished job's video into n8n's binary data store. A few downloads run at once
 * (`downloadSlots`), each slot held until its stream is stored: that is what bounds memory.
 */
export async function downloadVideo(ctx: RunContext, itemIndex: number, record: JobRecord): Promise<IBinaryData> {
	const url = videoUrlOf(record);
	if (!url) throw noVideoUrl(ctx.getNode(), itemIndex, record);
	return await downloadSlots.run(async () => await fetchVideo(ctx, record, url, itemIndex));
}
