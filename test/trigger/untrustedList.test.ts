/**
 * The Hailuo Trigger against a GMI whose list is slow, out of order, capped, partly timeless, or
 * contradicts the jobs' own records: every finished job still fires once, with its real outcome,
 * and nothing that ended before activation ever fires.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { type ActiveTrigger, fetchTestEvent, logged } from '../helpers/poll';
import { useTriggerWorld } from '../helpers/triggerWorld';
import { RECORD_CHECKS_PER_POLL } from '../../nodes/HailuoTrigger/poll';

const { gmi, advance, trigger, submitJobs } = useTriggerWorld();

const many = (count: number, label: string) => Array.from({ length: count }, (_, i) => `${label} ${i}`);
const idsOf = (items: INodeExecutionData[]) => items.map((item) => item.json.request_id as string);
const listCalls = () => gmi.apiRequests().filter((r) => r.method === 'GET' && r.path.endsWith('/requests'));
const recordCalls = () => gmi.apiRequests().filter((r) => r.method === 'GET' && /\/requests\/[^/]+$/.test(r.path));

/** Ticks `times` times, failing on any poll error; returns everything emitted. */
async function ticks(watcher: ActiveTrigger, times: number): Promise<INodeExecutionData[]> {
	const items: INodeExecutionData[] = [];
	for (let i = 0; i < times; i++) {
		const outcome = await watcher.tick();
		expect(outcome.error).toBeUndefined();
		items.push(...outcome.items);
	}
	return items;
}

/** Each id once, whatever the order. */
const expectOnceEach = (items: INodeExecutionData[], ids: string[]) => {
	expect(idsOf(items).sort()).toEqual([...ids].sort());
};

async function until(condition: () => boolean): Promise<void> {
	while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('Hailuo Trigger and a list it does not trust', () => {
	describe('polls that outlast the interval', () => {
		test('ticks that come while a slow poll runs wait for it: no "No bridge acquired", every job once', async () => {
			const watcher = trigger();
			await watcher.activate();
			const ids = await submitJobs(many(150, 'slow list'));
			advance(120);
			gmi.sim.setListBehaviour({ delayMs: 150 });
			const lists = listCalls().length;
			const first = watcher.tick();
			await until(() => listCalls().length > lists);
			// Two more cron ticks while the first poll still waits for GMI's pages.
			const overlapping = [watcher.tick(), watcher.tick()];
			const outcomes = await Promise.all([first, ...overlapping]);
			for (const outcome of outcomes) expect(outcome.error).toBeUndefined();
			expect(outcomes.slice(1).map((outcome) => outcome.items)).toEqual([[], []]);
			const items = [...outcomes[0].items, ...(await ticks(watcher, 3))];
			expectOnceEach(items, ids);
			expect(logged.filter(({ message }) => /bridge/i.test(message))).toEqual([]);
		});

		test('a poll out of time carries the rest over: overlapping ticks, every job once', async () => {
			const watcher = trigger();
			// n8n 2.x's poll budget, spent at once: each poll reads one page and confirms one pool's worth.
			watcher.pollBudgetMs = 1;
			await watcher.activate();
			const ids = await submitJobs(many(120, 'budget'));
			advance(120);
			gmi.sim.setListBehaviour({ delayMs: 20, pageSizeCap: 50 });
			const emitted: INodeExecutionData[] = [];
			for (let round = 0; round < 60 && emitted.length < ids.length; round++) {
				const outcomes = await Promise.all([watcher.tick(), watcher.tick()]);
				for (const outcome of outcomes) {
					expect(outcome.error).toBeUndefined();
					emitted.push(...outcome.items);
				}
			}
			expectOnceEach(emitted, ids);
			expect(await ticks(watcher, 2)).toEqual([]);
		});
	});

	describe('the outcome is what the job itself says', () => {
		test('listed "success" while its own record says "processing": held until its own record is final, then emitted with its video', async () => {
			const watcher = trigger();
			await watcher.activate();
			const [id] = await submitJobs(['early success #listed-as=success #ms=300000']);
			advance(60);
			expect(await ticks(watcher, 2)).toEqual([]);
			advance(300);
			const [item] = await ticks(watcher, 1);
			expect(item.json).toMatchObject({ request_id: id, status: 'success', videoUrl: `${gmi.sim.filesUrl}/videos/${id}/sample_0.mp4` });
			expect(await ticks(watcher, 2)).toEqual([]);
		});

		test('listed "failed" while its own record says "success": fires Video Succeeded', async () => {
			const succeeded = trigger();
			const failed = trigger({ event: 'failed' });
			await succeeded.activate();
			await failed.activate();
			const [id] = await submitJobs(['really fine #listed-as=failed']);
			advance(120);
			expect(idsOf(await ticks(succeeded, 2))).toEqual([id]);
			expect(await ticks(failed, 2)).toEqual([]);
		});

		test('each finished job costs one GET of its own record, at most RECORD_CHECKS_PER_POLL per poll', async () => {
			const watcher = trigger();
			await watcher.activate();
			const ids = await submitJobs(many(3, 'counted'));
			advance(120);
			const before = recordCalls().length;
			expectOnceEach(await ticks(watcher, 1), ids);
			expect(recordCalls().length - before).toBe(3);
			expect(RECORD_CHECKS_PER_POLL).toBeLessThanOrEqual(100);
		});
	});

	describe('first activation', () => {
		test('600 jobs of the last 10 minutes at activation: none emitted, then the next job is', async () => {
			for (let i = 0; i < 600; i++) {
				await submitJobs([`history ${i}`]);
				advance(1);
			}
			advance(120);
			const watcher = trigger();
			expect((await watcher.activate()).items).toEqual([]);
			expect(await ticks(watcher, 3)).toEqual([]);
			const [fresh] = await submitJobs(['after activation']);
			advance(120);
			expect(idsOf(await ticks(watcher, 2))).toEqual([fresh]);
		});

		test('random tie order: 130 jobs of one second before activation never fire, 130 of one second after it each fire once', async () => {
			gmi.sim.setListBehaviour({ order: 'ties-shuffled' });
			await submitJobs(many(130, 'history tie'));
			advance(120);
			const watcher = trigger();
			expect((await watcher.activate()).items).toEqual([]);
			const ids = await submitJobs(many(130, 'new tie'));
			advance(120);
			expectOnceEach(await ticks(watcher, 12), ids);
		});

		test('jobs still rendering at activation are reported when they end; those that ended before are not', async () => {
			const [ended] = await submitJobs(['ended before']);
			advance(30);
			const [rendering] = await submitJobs(['still rendering #ms=200000']);
			advance(90);
			const watcher = trigger({ event: 'finished' });
			await watcher.activate();
			advance(300);
			const items = await ticks(watcher, 2);
			expect(idsOf(items)).toEqual([rendering]);
			expect(idsOf(items)).not.toContain(ended);
		});
	});

	describe('the list order is checked, not assumed', () => {
		test('a list in reverse order (oldest first): every new job once, no history, and a warning', async () => {
			gmi.sim.setListBehaviour({ order: 'oldest-first' });
			await submitJobs(many(250, 'old'));
			advance(120);
			const watcher = trigger();
			await watcher.activate();
			const ids = await submitJobs(many(30, 'new'));
			advance(120);
			expectOnceEach(await ticks(watcher, 3), ids);
			expect(logged.some(({ level, message }) => level === 'warn' && /not newest first/.test(message))).toBe(true);
		});

		test('records without a usable time are skipped, counted in a warning, and never stop the trigger', async () => {
			const watcher = trigger();
			await watcher.activate();
			const [timeless, ...ids] = await submitJobs(['no time #listed-without-time', 'timed 1', 'timed 2']);
			advance(120);
			const items = await ticks(watcher, 2);
			expectOnceEach(items, ids);
			expect(idsOf(items)).not.toContain(timeless);
			expect(logged).toContainEqual({ level: 'warn', message: expect.stringMatching(/1 of the 3 jobs GMI listed this poll carry no readable created_at/) });
		});

		test('dates without a zone are read as UTC, whatever the host zone', async () => {
			const zone = process.env.TZ;
			process.env.TZ = 'America/New_York';
			try {
				gmi.sim.setListBehaviour({ timeFormat: 'iso-no-zone' });
				await submitJobs(many(5, 'before'));
				advance(120);
				const watcher = trigger();
				await watcher.activate();
				const ids = await submitJobs(many(3, 'after'));
				advance(120);
				expectOnceEach(await ticks(watcher, 2), ids);
			} finally {
				process.env.TZ = zone;
			}
		});

		test.each(['nototal', 'requests'] as const)('a server capping the page size (30 of 100, "%s"): every job once', async (shape) => {
			gmi.sim.setListShape(shape);
			gmi.sim.setListBehaviour({ pageSizeCap: 30 });
			const watcher = trigger();
			await watcher.activate();
			const ids = await submitJobs(many(130, 'capped'));
			advance(120);
			expectOnceEach(await ticks(watcher, 3), ids);
			expect(listCalls().some((r) => r.query.page === '5')).toBe(true);
		});

		test('pages shifting under the poll (jobs submitted between two pages): every job once', async () => {
			const watcher = trigger();
			await watcher.activate();
			const ids = await submitJobs(many(150, 'shifted'));
			advance(120);
			gmi.sim.setListBehaviour({ delayMs: 100 });
			const lists = listCalls().length;
			const poll = watcher.tick();
			await until(() => listCalls().length > lists);
			const later = await submitJobs(many(50, 'pushing down'));
			const first = await poll;
			expect(first.error).toBeUndefined();
			gmi.sim.setListBehaviour({ delayMs: 0 });
			advance(120);
			expectOnceEach([...first.items, ...(await ticks(watcher, 3))], [...ids, ...later]);
		});
	});

	describe('filters', () => {
		test('Prompt Contains: only jobs whose prompt holds the text, in any case', async () => {
			const watcher = trigger({ filters: { promptContains: '#From-Daily' } });
			await watcher.activate();
			const [mine] = await submitJobs(['a fox #from-daily']);
			await submitJobs(['a fox from elsewhere']);
			advance(120);
			expect(idsOf(await ticks(watcher, 2))).toEqual([mine]);
		});

		test('Request IDs: a comma-separated list, or an expression giving an array', async () => {
			const ids = await submitJobs(many(4, 'own'));
			advance(1);
			const byText = trigger({ filters: { requestIds: `${ids[0]}, ${ids[2]}` } });
			const byArray = trigger({ filters: { requestIds: `={{ ${JSON.stringify([ids[1]])} }}` } });
			await byText.activate();
			await byArray.activate();
			advance(120);
			// Created before activation, but seen rendering by it: they count.
			expect(idsOf(await ticks(byText, 2)).sort()).toEqual([ids[0], ids[2]].sort());
			expect(idsOf(await ticks(byArray, 2))).toEqual([ids[1]]);
		});

		test('a Request IDs entry that is no id fails naming the field, the entry and what is allowed', async () => {
			const watcher = trigger({ filters: { requestIds: 'abc-1, not an id!' } });
			const { error } = await watcher.activate();
			expect(error?.message).toBe(
				'Request IDs (filters.requestIds) has "not an id!" as entry 2: allowed are request ids (letters, digits, ".", "-", "_", ":"), separated by commas, or an array of them',
			);
		});

		test('Fetch Test Event counts what it searched: all jobs, those of the model', async () => {
			await submitJobs(many(3, 'on 02'));
			await submitJobs(many(2, 'on 2.3'), 'Minimax-Hailuo-2.3');
			advance(120);
			const { error } = await fetchTestEvent(
				{ event: 'succeeded', model: { __rl: true, mode: 'id', value: 'Minimax-Hailuo-2.3' }, filters: { promptContains: 'nothing like it' } },
				gmi.credentials(),
			);
			expect(error?.message).toBe(
				'No job of model Minimax-Hailuo-2.3 with the status "Video Succeeded" matching the filters among the 2 most recent jobs (2 of that model)',
			);
		});
	});
});
