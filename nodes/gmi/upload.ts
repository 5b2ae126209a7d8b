import type { IN8nHttpFullResponse } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { type ImageType, PATHS, STORAGE_TIMEOUTS } from './api';
import { apiError, mostSpecificMessage, redactUrl, redactUrlsIn } from './errors';
import { isRecord } from './records';
import { gmiRequest, type RunContext } from './transport';

/** An image read and checked, ready to be uploaded or inlined. */
export interface FirstFrameImage {
	bytes: Buffer;
	type: ImageType;
}

export const FIRST_FRAME_TRANSFERS = ['upload', 'dataUri'] as const;
export type FirstFrameTransfer = (typeof FIRST_FRAME_TRANSFERS)[number];

export const toDataUri = (image: FirstFrameImage): string =>
	`data:${image.type.mimeType};base64,${image.bytes.toString('base64')}`;

/**
 * GMI's `/upload-url` hands out a presigned PUT URL and a stable public URL; the job then
 * references the public URL. The PUT goes to the storage host without the API key.
 */
async function uploadImage(ctx: RunContext, itemIndex: number, image: FirstFrameImage, label: string): Promise<string> {
	const grant = await gmiRequest.call(ctx, 'POST', PATHS.uploadUrl, { body: { file_type: image.type.uploadType } });
	if (grant.statusCode >= 400) {
		throw apiError(ctx.getNode(), grant.statusCode, grant.body, itemIndex, `Uploading the ${label} failed`);
	}
	const { upload_url: uploadUrl, public_url: publicUrl } = isRecord(grant.body) ? grant.body : {};
	if (typeof uploadUrl !== 'string' || typeof publicUrl !== 'string') {
		throw new NodeOperationError(ctx.getNode(), `Uploading the ${label} failed: GMI returned no upload URL`, {
			itemIndex,
			description: 'Choose "Send Inline (Data URI)" under Options → First Frame Transfer, or pass an image URL instead.',
		});
	}
	let put: IN8nHttpFullResponse;
	try {
		put = (await ctx.helpers.httpRequest({
			method: 'PUT',
			url: uploadUrl,
			body: image.bytes,
			headers: { 'Content-Type': image.type.uploadContentType },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			json: false,
			timeout: STORAGE_TIMEOUTS.uploadMs,
		})) as IN8nHttpFullResponse;
	} catch (error) {
		// Network errors quote the URL; its query string is a signature and must not be shown.
		throw new NodeOperationError(ctx.getNode(), `Uploading the ${label} to ${redactUrl(uploadUrl)} failed`, {
			itemIndex,
			description: redactUrlsIn(String((error as Error).message ?? '')),
		});
	}
	if (put.statusCode >= 400) {
		throw new NodeOperationError(ctx.getNode(), `Uploading the ${label} to ${redactUrl(uploadUrl)} failed (HTTP ${put.statusCode})`, {
			itemIndex,
			description: redactUrlsIn(mostSpecificMessage(put.body) ?? `HTTP ${put.statusCode}`),
		});
	}
	return publicUrl;
}

/** What goes into `first_frame_image` (or `last_frame_image`) for a binary input. */
export async function firstFrameReference(
	ctx: RunContext,
	itemIndex: number,
	image: FirstFrameImage,
	transfer: FirstFrameTransfer,
	label = 'first frame image',
): Promise<string> {
	// WebP has no upload file type at GMI, so it always travels inline.
	if (transfer === 'dataUri' || !image.type.uploadType) return toDataUri(image);
	return await uploadImage(ctx, itemIndex, image, label);
}
