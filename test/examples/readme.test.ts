/**
 * The README's rules table and camera tag list are what users read before choosing values; they
 * must say what nodes/Hailuo/hailuo.ts (and so the editor and the run-time checks) says.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import {
	CAMERA_MOVEMENTS,
	DEFAULT_DURATION,
	DEFAULT_RESOLUTION,
	DURATIONS,
	RESOLUTIONS,
	RESOLUTIONS_BY_DURATION,
	RESOLUTIONS_NEEDING_FIRST_FRAME,
} from '../../nodes/Hailuo/hailuo';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const START = '<!-- rules-table:start -->';
const END = '<!-- rules-table:end -->';

/** The two tables, as hailuo.ts defines the rules. */
function rulesTables(): string {
	const needsFrame = (resolution: (typeof RESOLUTIONS)[number]) => RESOLUTIONS_NEEDING_FIRST_FRAME.includes(resolution);
	const cell = (duration: (typeof DURATIONS)[number], resolution: (typeof RESOLUTIONS)[number]) => {
		if (!RESOLUTIONS_BY_DURATION[duration].includes(resolution)) return 'no';
		if (needsFrame(resolution)) return 'yes, with a first frame';
		return resolution === DEFAULT_RESOLUTION ? 'yes (default)' : 'yes';
	};
	return [
		`| Duration | ${RESOLUTIONS.join(' | ')} |`,
		`|---|${RESOLUTIONS.map(() => ':---:').join('|')}|`,
		...DURATIONS.map(
			(d) => `| ${d} s${d === DEFAULT_DURATION ? ' (default)' : ''} | ${RESOLUTIONS.map((r) => cell(d, r)).join(' | ')} |`,
		),
		'',
		'| Resolution | First Frame Image |',
		'|---|---|',
		...RESOLUTIONS.map((r) =>
			needsFrame(r) ? `| ${r} | required: Image URL or Binary From Input |` : `| ${r} | optional: None, Image URL or Binary From Input |`,
		),
	].join('\n');
}

test('the README rules table says what hailuo.ts says', () => {
	const start = README.indexOf(START);
	const end = README.indexOf(END);
	expect(start).toBeGreaterThan(-1);
	expect(end).toBeGreaterThan(start);
	expect(README.slice(start + START.length, end).trim()).toBe(rulesTables());
});

test('the README lists every camera movement tag', () => {
	const missing = CAMERA_MOVEMENTS.filter((tag) => !README.includes(`\`${tag}\``));
	expect(missing).toEqual([]);
});
