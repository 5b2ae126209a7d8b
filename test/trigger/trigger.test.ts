import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { API_KEY } from '../helpers/fixtures';
import { ActiveTrigger, fetchTestEvent, logged } from '../helpers/poll';
import { useTriggerWorld } from '../helpers/triggerWorld';
import type { ListShape } from '../simulator';
import { LATE_LISTING_MARGIN_SECONDS, MEMORY_KEY } from '../../nodes/HailuoTrigger/memory';
import { RECORD_CHECKS_PER_POLL } from '../../nodes/HailuoTrigger/poll';

const { gmi, advance, trigger, submitJobs } = useTriggerWorld();
const EVERY_MODEL = { __rl: true, mode: 'list', value: '*' };

const idsOf = (items: INodeExecutionData[]) => items.map((item) => item.json.request_id);
const listCalls = () => gmi.apiRequests().filter((r) => r.method === 'GET' && r.path.endsWith('/requests'));
const recordCalls = () => gmi.apiRequests().filter((r) => r.method === 'GET' && /\/requests\/[^/]+$/.test(r.path));

/** Ticks until a tick emits nothing: what a burst of finished jobs costs over the polls it takes. */
async function drain(watcher: ActiveTrigger): Promise<{ items: INodeExecutionData[]; ticks: number; checksPerTick: number[] }> {
	const items: INodeExecutionData[] = [];
	const checksPerTick: number[] = [];
	for (let ticks = 1; ticks <= 20; ticks++) {
		const before = recordCalls().length;
		const outcome = await watcher.tick();
		expect(outcome.error).toBeUndefined();
		checksPerTick.push(recordCalls().length - before);
		if (!outcome.items.length) return { items, ticks, checksPerTick };
		items.push(...outcome.items);
	}
	throw new Error('still emitting after 20 ticks');
}

describe('Hailuo Trigger', () => {
	test('first activation emits nothing old: jobs that ended before it are history', async () => {
		await submitJobs(['old one', 'old two', 'old three']);
		advance(120);
		const watcher = trigger();
		expect((await watcher.activate()).items).toEqual([]);
		expect((await watcher.tick()).items).toEqual([]);
		const fresh = await submitJobs(['new one', 'new two']);
		advance(120);
		expect(idsOf((await watcher.tick()).items).sort()).toEqual([...fresh].sort());
	});

	test('jobs finishing across several polls are each emitted once, oldest first', async () => {
		const watcher = trigger();
		await watcher.activate();
		const ids = await submitJobs(['a #ms=10000', 'b #ms=40000', 'c #ms=70000', 'd #ms=100000', 'e #ms=130000']);
		const perPoll: unknown[][] = [];
		for (let poll = 0; poll < 6; poll++) {
			advance(30);
			perPoll.push(idsOf((await watcher.tick()).items));
		}
		expect(perPoll).toEqual([[ids[0]], [ids[1]], [ids[2]], [ids[3]], [ids[4]], []]);
		expect(idsOf(watcher.emitted)).toEqual(ids);
	});

	test('each item is the Get Status record: request_id, status, videoUrl, the prompt it was made from', async () => {
		const watcher = trigger();
		await watcher.activate();
		const [id] = await submitJobs(['A lighthouse in a storm']);
		advance(120);
		const [item] = (await watcher.tick()).items;
		expect(item.json).toMatchObject({
			request_id: id,
			status: 'success',
			model: 'Minimax-Hailuo-02',
			payload: { prompt: 'A lighthouse in a storm' },
			videoUrl: `${gmi.sim.filesUrl}/videos/${id}/sample_0.mp4`,
			thumbnailUrl: expect.stringContaining(gmi.sim.filesUrl),
		});
	});

	test('n8n restarted between polls (static data saved and reloaded): no job twice, none missed', async () => {
		const first = trigger();
		await first.activate();
		const ids = await submitJobs(['r1 #ms=10000', 'r2 #ms=10000', 'r3 #ms=200000', 'r4 #ms=200000', 'r5 #stuck']);
		advance(60);
		expect(idsOf((await first.tick()).items)).toEqual(ids.slice(0, 2));
		// A poll that emits nothing is not saved by n8n: the restart must not depend on it.
		advance(30);
		expect((await first.tick()).items).toEqual([]);

		const { trigger: second, outcome } = await first.restart();
		expect(outcome.items).toEqual([]);
		advance(300);
		expect(idsOf((await second.tick()).items)).toEqual(ids.slice(2, 4));
		const { trigger: third, outcome: afterSecondRestart } = await second.restart();
		expect(afterSecondRestart.items).toEqual([]);
		advance(600);
		expect((await third.tick()).items).toEqual([]);
		expect(idsOf([...first.emitted, ...second.emitted, ...third.emitted])).toEqual(ids.slice(0, 4));
	});

	test('n8n down while jobs finish: the restart emits them once', async () => {
		const first = trigger();
		await first.activate();
		const ids = await submitJobs(['down 1', 'down 2', 'down 3']);
		advance(3 * 60 * 60);
		const { trigger: second, outcome } = await first.restart();
		expect(idsOf(outcome.items)).toEqual(ids);
		expect((await second.tick()).items).toEqual([]);
	});

	test('jobs in flight are remembered and picked up when they end, long after newer jobs pushed them down the list', async () => {
		const [slow] = await submitJobs(['slow render #ms=7200000']);
		advance(60);
		const watcher = trigger();
		await watcher.activate();
		expect(watcher.memory[`node:Hailuo Trigger`]).toMatchObject({ [MEMORY_KEY]: { inFlight: { [slow]: expect.any(Number) } } });
		for (let round = 0; round < 4; round++) {
			advance(20 * 60);
			await submitJobs(Array.from({ length: 60 }, (_, i) => `filler ${round}-${i} #stuck`));
			expect((await watcher.tick()).items).toEqual([]);
		}
		advance(60 * 60);
		gmi.sim.requests.length = 0;
		const { items } = await watcher.tick();
		expect(idsOf(items)).toEqual([slow]);
		// 240 jobs stay in flight below the horizon: reading on costs 3 pages, not 240 single checks;
		// the one job listed finished is confirmed by its own record.
		const singles = gmi.apiRequests().filter((r) => /\/requests\/[^/]+$/.test(r.path));
		expect({ pages: listCalls().length, singles: singles.map((r) => r.path.split('/').pop()) }).toEqual({ pages: 3, singles: [slow] });
		advance(60);
		expect((await watcher.tick()).items).toEqual([]);
	});

	test('a few jobs in flight below the horizon are asked about one by one', async () => {
		const watcher = trigger();
		await watcher.activate();
		const [slow] = await submitJobs(['slow render #ms=3600000']);
		advance(60);
		await watcher.tick();
		advance(5 * 60);
		await submitJobs(Array.from({ length: 200 }, (_, i) => `middle ${i}`));
		advance(120);
		expect((await drain(watcher)).items).toHaveLength(200);
		advance(25 * 60);
		await submitJobs(Array.from({ length: 10 }, (_, i) => `newest ${i}`));
		advance(120);
		expect((await watcher.tick()).items).toHaveLength(10);
		advance(40 * 60);
		gmi.sim.requests.length = 0;
		expect(idsOf((await watcher.tick()).items)).toEqual([slow]);
		expect(gmi.apiRequests().filter((r) => r.path.endsWith(`/requests/${slow}`))).toHaveLength(1);
		expect(listCalls()).toHaveLength(2);
	});

	test.each<ListShape>(['requests', 'array', 'items', 'data', 'list', 'nototal', 'stringtotal', 'ignorespage'])(
		'reads the "%s" list shape',
		async (shape) => {
			gmi.sim.setListShape(shape);
			const watcher = trigger();
			await watcher.activate();
			const ids = await submitJobs(['one', 'two', 'three']);
			advance(120);
			const { items, error } = await watcher.tick();
			expect(error).toBeUndefined();
			expect(idsOf(items).sort()).toEqual([...ids].sort());
			expect((await watcher.tick()).items).toEqual([]);
		},
	);

	test('more jobs finish between two polls than a poll confirms: all of them, once, over the polls it takes', async () => {
		const watcher = trigger();
		await watcher.activate();
		const ids = await submitJobs(Array.from({ length: 230 }, (_, i) => `batch ${i}`));
		advance(120);
		const { items, checksPerTick } = await drain(watcher);
		expect(items).toHaveLength(230);
		expect(new Set(idsOf(items))).toEqual(new Set(ids));
		// Oldest first across the polls: submit order.
		expect(idsOf(items)).toEqual(ids);
		expect(Math.max(...checksPerTick)).toBeLessThanOrEqual(RECORD_CHECKS_PER_POLL);
	});

	test('an unknown list wrapper fails the poll naming its keys, and the memory stays as it was', async () => {
		const watcher = trigger();
		await watcher.activate();
		const before = watcher.memory;
		gmi.sim.setListShape('unknown');
		await submitJobs(['x']);
		advance(120);
		const { items, error } = await watcher.tick();
		expect(items).toEqual([]);
		expect(error?.message).toMatch(/shape this node does not know: an object with the keys results, count/);
		expect(watcher.memory).toEqual(before);
	});

	test.each([
		['succeeded', ['success']],
		['failed', ['failed', 'cancelled']],
		['finished', ['success', 'failed', 'cancelled']],
	])('event "%s" emits the jobs that ended %p', async (event, statuses) => {
		const watcher = trigger({ event });
		await watcher.activate();
		await submitJobs(['fine', 'broken #fail', 'stopped #cancel', 'forever #stuck']);
		advance(120);
		const { items } = await watcher.tick();
		expect(items.map((item) => item.json.status).sort()).toEqual([...statuses].sort());
		const failed = items.find((item) => item.json.status === 'failed');
		if (failed) expect(failed.json.failureReason).toEqual(expect.any(String));
	});

	test('one model, or every Hailuo model (other GMI models never)', async () => {
		const everyModel = trigger();
		const oneModel = trigger({ model: { __rl: true, mode: 'list', value: 'Minimax-Hailuo-2.3' } });
		await everyModel.activate();
		await oneModel.activate();
		const [hailuo02] = await submitJobs(['on 02']);
		const [hailuo23] = await submitJobs(['on 2.3'], 'Minimax-Hailuo-2.3');
		await submitJobs(['elsewhere'], 'Veo3');
		advance(120);
		expect(idsOf((await everyModel.tick()).items).sort()).toEqual([hailuo02, hailuo23].sort());
		expect(idsOf((await oneModel.tick()).items)).toEqual([hailuo23]);
		expect(listCalls().some((r) => r.query.model_id === 'Minimax-Hailuo-2.3')).toBe(true);
	});

	test('Download Video: the video as binary, and the API key never reaches the file host', async () => {
		const watcher = trigger({ downloadVideo: true, binaryPropertyName: 'video' });
		await watcher.activate();
		const [id] = await submitJobs(['download me #bytes=5000']);
		advance(120);
		const [item] = (await watcher.tick()).items;
		expect(item.binary?.video).toMatchObject({ mimeType: 'video/mp4', fileName: `${id}.mp4` });
		const files = gmi.sim.requests.filter((r) => r.server === 'files');
		expect(files.map((r) => r.path)).toEqual([`/videos/${id}/sample_0.mp4`]);
		expect(gmi.sim.stats().filesRequestsWithAuth).toBe(0);
		expect(JSON.stringify(item)).not.toContain(API_KEY);
	});

	test('a download that keeps failing still emits the job once, with downloadError', async () => {
		const watcher = trigger({ downloadVideo: true });
		await watcher.activate();
		const [id] = await submitJobs(['unlucky']);
		gmi.sim.addFault({ server: 'files', path: '/videos/', kind: 'status', status: 404, times: Infinity });
		advance(120);
		const [item] = (await watcher.tick()).items;
		expect(item.json).toMatchObject({ request_id: id, downloadError: expect.stringMatching(/HTTP 404/) });
		expect((await watcher.tick()).items).toEqual([]);
	});

	test('429 and 5xx while listing are retried within the poll', async () => {
		const watcher = trigger();
		await watcher.activate();
		const ids = await submitJobs(['patient']);
		advance(120);
		gmi.sim.addFault([
			{ method: 'GET', path: /\/requests$/, kind: '429', retryAfter: 0 },
			{ method: 'GET', path: /\/requests$/, kind: 'status', status: 500 },
		]);
		const { items, error } = await watcher.tick();
		expect(error).toBeUndefined();
		expect(idsOf(items)).toEqual(ids);
	});

	test('a rejected key fails the poll and moves nothing', async () => {
		const watcher = new ActiveTrigger({ event: 'succeeded', model: EVERY_MODEL }, gmi.credentials({ apiKey: 'wrong-key' }));
		const { error } = await watcher.activate();
		expect(error?.message).toMatch(/API key was rejected/);
		expect(watcher.memory['node:Hailuo Trigger'] ?? {}).toEqual({});
	});

	test('the memory stays bounded: jobs older than the horizon are forgotten', async () => {
		const watcher = trigger();
		await watcher.activate();
		await submitJobs(Array.from({ length: 150 }, (_, i) => `early ${i}`));
		advance(120);
		expect((await drain(watcher)).items).toHaveLength(150);
		advance(2 * LATE_LISTING_MARGIN_SECONDS);
		await submitJobs(['late one', 'late two']);
		advance(120);
		expect((await watcher.tick()).items).toHaveLength(2);
		const memory = watcher.memory['node:Hailuo Trigger'] as Record<string, { done: object; inFlight: object }>;
		expect(Object.keys(memory[MEMORY_KEY].done)).toHaveLength(2);
		expect(memory[MEMORY_KEY].inFlight).toEqual({});
		expect(JSON.stringify(watcher.memory).length).toBeLessThan(1000);
	});

	describe('Fetch Test Event', () => {
		test('returns the most recent matching job and leaves the memory as it was', async () => {
			const watcher = trigger();
			await watcher.activate();
			await submitJobs(['older', 'newest failed #fail']);
			advance(1);
			const [newest] = await submitJobs(['newest success']);
			advance(120);
			const memory = watcher.saved;
			const { items, error, staticData } = await fetchTestEvent({ event: 'succeeded', model: EVERY_MODEL }, gmi.credentials(), memory);
			expect(error).toBeUndefined();
			expect(idsOf(items)).toEqual([newest]);
			expect(staticData).toEqual(memory);
			// The active trigger still reports every job: the test event moved nothing.
			expect((await watcher.tick()).items).toHaveLength(2);
		});

		test('with no matching job: an error saying so, not an empty run', async () => {
			await submitJobs(['only a success']);
			advance(120);
			const { items, error } = await fetchTestEvent({ event: 'failed', model: EVERY_MODEL }, gmi.credentials());
			expect(items).toEqual([]);
			expect(error?.message).toMatch(/No job of any Hailuo model with the status "Video Failed or Cancelled" among the 1 most recent jobs \(1 of a Hailuo model\)/);
		});
	});
});
