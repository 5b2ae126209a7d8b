import { type INode, type INodeParameters, type INodeProperties, type INodePropertyOptions, NodeHelpers } from 'n8n-workflow';

import { Hailuo } from '../../nodes/Hailuo/Hailuo.node';
import { DURATIONS, RESOLUTIONS, RESOLUTIONS_BY_DURATION, RESOLUTIONS_NEEDING_FIRST_FRAME } from '../../nodes/Hailuo/hailuo';

const { description } = new Hailuo();
const node = (parameters: INodeParameters): INode => ({ id: 'n', name: 'Hailuo', type: 'n8n-nodes-hailuo.hailuo', typeVersion: 1, position: [0, 0], parameters });

/** The parameters as the editor resolves them: defaults filled in, hidden ones dropped. */
function resolved(parameters: INodeParameters): INodeParameters {
	return NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node(parameters), description) ?? {};
}

/** What the editor shows for `name` with these parameters. */
function shown(parameters: INodeParameters, name: string): INodeProperties[] {
	const values = resolved(parameters);
	return description.properties.filter(
		(p) => p.name === name && NodeHelpers.displayParameter(values, p, node(values), description, values),
	);
}

const optionValues = (properties: INodeProperties[]) =>
	properties.flatMap((p) => (p.options as INodePropertyOptions[]).map((o) => o.value));

const submit = (extra: INodeParameters = {}): INodeParameters => ({ resource: 'video', operation: 'submit', prompt: 'x', ...extra });

describe('the editor, through n8n-workflow’s display helpers', () => {
	test('every operation of each resource is offered, each with an action', () => {
		const operations = (resource: string) =>
			description.properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource))?.options as INodePropertyOptions[];
		expect(operations('video').map((o) => o.value)).toEqual(['submit', 'getStatus', 'list']);
		expect(operations('model').map((o) => o.value)).toEqual(['get', 'list']);
		for (const option of [...operations('video'), ...operations('model')]) expect(option.action).toBeTruthy();
	});

	test.each(DURATIONS)('at %i s Resolution offers exactly the resolutions the API allows', (duration) => {
		expect(optionValues(shown(submit({ duration }), 'resolution'))).toEqual(RESOLUTIONS_BY_DURATION[duration]);
	});

	test('10 s hides 1080P', () => {
		expect(optionValues(shown(submit({ duration: 10 }), 'resolution'))).not.toContain('1080P');
		expect(optionValues(shown(submit({ duration: 6 }), 'resolution'))).toContain('1080P');
	});

	test.each(RESOLUTIONS)('at %s the First Frame Image choices follow the first-frame rule', (resolution) => {
		const choices = optionValues(shown(submit({ resolution }), 'firstFrame'));
		if (RESOLUTIONS_NEEDING_FIRST_FRAME.includes(resolution)) {
			expect(choices).toEqual(['url', 'binary']);
			expect(resolved(submit({ resolution })).firstFrame).toBe('url');
		} else {
			expect(choices).toEqual(['none', 'url', 'binary']);
			expect(resolved(submit({ resolution })).firstFrame).toBe('none');
		}
	});

	test('the default Submit is text-to-video, 6 s at 768P, waiting for the result', () => {
		expect(resolved(submit())).toMatchObject({
			model: { __rl: true, mode: 'id', value: 'Minimax-Hailuo-02' },
			duration: 6,
			resolution: '768P',
			firstFrame: 'none',
			waitUntilDone: true,
			pollInterval: 10,
			timeout: 900,
			downloadVideo: false,
		});
	});

	test('the URL field shows only for a URL first frame, the binary field only for a binary one', () => {
		expect(resolved(submit({ firstFrame: 'url' }))).toHaveProperty('firstFrameUrl');
		expect(resolved(submit({ firstFrame: 'url' }))).not.toHaveProperty('firstFrameBinaryProperty');
		expect(resolved(submit({ firstFrame: 'binary' }))).toHaveProperty('firstFrameBinaryProperty', 'data');
		expect(resolved(submit())).not.toHaveProperty('firstFrameUrl');
	});

	test('Get Status answers at once by default; waiting reveals interval, timeout and download', () => {
		const getStatus = { resource: 'video', operation: 'getStatus', requestId: 'r' };
		expect(resolved(getStatus)).toMatchObject({ waitUntilDone: false });
		expect(resolved(getStatus)).not.toHaveProperty('pollInterval');
		expect(resolved({ ...getStatus, waitUntilDone: true })).toMatchObject({ pollInterval: 10, timeout: 900, downloadVideo: false });
		expect(resolved({ ...getStatus, waitUntilDone: true, downloadVideo: true })).toHaveProperty('binaryPropertyName', 'data');
	});

	test('List shows Limit only without Return All', () => {
		expect(resolved({ resource: 'video', operation: 'list' })).toMatchObject({ returnAll: false, limit: 50 });
		expect(resolved({ resource: 'video', operation: 'list', returnAll: true })).not.toHaveProperty('limit');
	});

	test('a complete Submit has no parameter issues; an empty prompt has', () => {
		const issues = (parameters: INodeParameters) => NodeHelpers.getNodeParametersIssues(description.properties, node(resolved(parameters)), description);
		expect(issues(submit())).toBeNull();
		expect(issues(submit({ prompt: '' }))?.parameters).toHaveProperty('prompt');
	});

	test('resource and operation cannot be expressions; the node is usable as an AI tool', () => {
		for (const name of ['resource', 'operation']) {
			for (const p of description.properties.filter((x) => x.name === name)) expect(p.noDataExpression).toBe(true);
		}
		expect(description.usableAsTool).toBe(true);
	});
});
