import {
	emptyMemory,
	IN_FLIGHT_GIVE_UP_SECONDS,
	LATE_LISTING_MARGIN_SECONDS,
	MAX_REMEMBERED_DONE,
	recall,
	settle,
} from '../../nodes/HailuoTrigger/memory';

describe('the Hailuo Trigger memory', () => {
	test('the horizon trails the newest job by the late-listing margin; handled jobs below it are forgotten', () => {
		const memory = emptyMemory('*');
		memory.done = { old: 1000, recent: 5000 };
		settle(memory, 5000 + LATE_LISTING_MARGIN_SECONDS - 1);
		expect(memory.horizon).toBe(4999);
		expect(memory.done).toEqual({ recent: 5000 });
	});

	test('past the cap, the horizon rises above every dropped job, so none of them can count as new again', () => {
		const memory = emptyMemory('*');
		const now = 1_000_000;
		// Four jobs a second for the last 10 minutes: more than the cap, with many in the same second.
		for (let i = 0; i < MAX_REMEMBERED_DONE + 700; i++) memory.done[`job-${i}`] = now - Math.floor(i / 4);
		settle(memory, now);
		const kept = Object.values(memory.done);
		expect(kept.length).toBeLessThanOrEqual(MAX_REMEMBERED_DONE);
		expect(Math.min(...kept)).toBeGreaterThanOrEqual(memory.horizon as number);
		for (let i = 0; i < MAX_REMEMBERED_DONE + 700; i++) {
			const created = now - Math.floor(i / 4);
			if (!(`job-${i}` in memory.done)) expect(created).toBeLessThan(memory.horizon as number);
		}
	});

	test('a job in flight far longer than newer jobs is given up on and reported', () => {
		const memory = emptyMemory('*');
		memory.inFlight = { stale: 0, fresh: IN_FLIGHT_GIVE_UP_SECONDS };
		expect(settle(memory, IN_FLIGHT_GIVE_UP_SECONDS + 10)).toEqual(['stale']);
		expect(memory.inFlight).toEqual({ fresh: IN_FLIGHT_GIVE_UP_SECONDS });
	});

	test('memory saved for another model, or in another shape, is not used', () => {
		const saved = { hailuoJobs: { version: 1, model: '*', horizon: 10, done: { a: 11 }, inFlight: {} } };
		expect(recall(saved, '*')).toEqual(saved.hailuoJobs);
		expect(recall(saved, 'Minimax-Hailuo-2.3')).toBeUndefined();
		expect(recall({ hailuoJobs: { ...saved.hailuoJobs, done: ['a'] } }, '*')).toBeUndefined();
	});
});
