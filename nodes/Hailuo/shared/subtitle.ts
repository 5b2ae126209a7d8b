import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * The canvas subtitle as an n8n expression: the chosen operation's `action` ("Generate a video"),
 * the words the nodes panel shows, instead of the raw values ("submit: video"). Built from the
 * Operation fields so a new operation needs no second list.
 */
export function subtitleFromActions(operationFields: INodeProperties[]): string {
	const actions: Record<string, string> = {};
	for (const field of operationFields) {
		for (const resource of field.displayOptions?.show?.resource ?? []) {
			for (const option of field.options as INodePropertyOptions[]) {
				actions[`${String(resource)}:${String(option.value)}`] = option.action ?? option.name;
			}
		}
	}
	// a flat object literal: nested braces would close the {{ }} early
	return `={{ ${JSON.stringify(actions)}[$parameter["resource"] + ":" + $parameter["operation"]] }}`;
}
