import {
	firstMemory,
	giveUpStale,
	IN_FLIGHT_GIVE_UP_SECONDS,
	LATE_LISTING_MARGIN_SECONDS,
	type ListPass,
	MAX_REMEMBERED_DONE,
	raiseHorizon,
	recall,
} from '../../nodes/HailuoTrigger/memory';
import { createdAtOf } from '../../nodes/gmi/records';

const pass = (newest: number, startedAt = newest): ListPass => ({ page: 1, pageSize: 100, floor: 0, startedAt, newest });

describe('the Hailuo Trigger memory', () => {
	test('first activation: nothing created before GMI\'s clock counts as new', () => {
		expect(firstMemory('*', 5000)).toMatchObject({ horizon: 5000, done: {}, inFlight: {}, order: 'unknown' });
	});

	test('after a pass the horizon trails the newest job by the late-listing margin; handled jobs below it are forgotten', () => {
		const memory = firstMemory('*', 0);
		memory.done = { old: 1000, recent: 5000 };
		raiseHorizon(memory, pass(5000 + LATE_LISTING_MARGIN_SECONDS - 1));
		expect(memory.horizon).toBe(4999);
		expect(memory.done).toEqual({ recent: 5000 });
	});

	test('the horizon never rises above where the pass began: a job listed behind a long pass stays new', () => {
		const memory = firstMemory('*', 0);
		raiseHorizon(memory, pass(10_000, 4000));
		expect(memory.horizon).toBe(4000 - LATE_LISTING_MARGIN_SECONDS);
	});

	test('past the cap, the horizon rises to the oldest kept job: every dropped one is below it, the rest of its second still new', () => {
		const now = 1_000_000;
		const memory = firstMemory('*', 0);
		// Four jobs a second for the last 10 minutes: more than the cap, with many in the same second.
		for (let i = 0; i < MAX_REMEMBERED_DONE + 700; i++) memory.done[`job-${i}`] = now - Math.floor(i / 4);
		raiseHorizon(memory, pass(now));
		const kept = Object.values(memory.done);
		expect(kept.length).toBeLessThanOrEqual(MAX_REMEMBERED_DONE + 3);
		expect(Math.min(...kept)).toBe(memory.horizon);
		for (let i = 0; i < MAX_REMEMBERED_DONE + 700; i++) {
			const created = now - Math.floor(i / 4);
			if (!(`job-${i}` in memory.done)) expect(created).toBeLessThan(memory.horizon);
		}
	});

	test('a job in flight for more than a day is given up on and reported', () => {
		const memory = firstMemory('*', 0);
		memory.inFlight = { stale: 0, fresh: IN_FLIGHT_GIVE_UP_SECONDS };
		expect(giveUpStale(memory, IN_FLIGHT_GIVE_UP_SECONDS + 10)).toEqual(['stale']);
		expect(memory.inFlight).toEqual({ fresh: IN_FLIGHT_GIVE_UP_SECONDS });
	});

	test('memory saved for another model, or in another shape, is not used; version 1 carries over', () => {
		const saved = { hailuoJobs: { version: 1, model: '*', horizon: 10, done: { a: 11 }, inFlight: {} } };
		expect(recall(saved, '*')).toEqual({ version: 2, model: '*', horizon: 10, done: { a: 11 }, inFlight: {}, order: 'unknown' });
		expect(recall(saved, 'Minimax-Hailuo-2.3')).toBeUndefined();
		expect(recall({ hailuoJobs: { ...saved.hailuoJobs, done: ['a'] } }, '*')).toBeUndefined();
		expect(recall({ hailuoJobs: { ...saved.hailuoJobs, horizon: null } }, '*')).toBeUndefined();
	});
});

describe('a job record\'s creation time', () => {
	test.each([
		[{ created_at: 1753468514 }, 1753468514],
		[{ created_at: '1753468514' }, 1753468514],
		[{ created_at: 1753468514123 }, 1753468514],
		[{ created_at: '2025-07-25T18:35:14Z' }, 1753468514],
		[{ created_at: '2025-07-25T20:35:14+02:00' }, 1753468514],
		[{ created_at: '2025-07-25T18:35:14' }, 1753468514],
		[{ created_at: '2025-07-25 18:35:14.250' }, 1753468514],
		[{ queued_at: 1753468514 }, 1753468514],
		[{ created_at: 'soon' }, undefined],
		[{ created_at: null }, undefined],
		[{}, undefined],
	])('%p is %p (zone-less dates are UTC)', (record, expected) => {
		expect(createdAtOf(record)).toBe(expected);
	});
});
