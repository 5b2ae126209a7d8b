/**
 * The README's rules table and camera tag list are what users read before choosing values; they
 * must say what nodes/Hailuo/hailuo.ts (and so the editor and the run-time checks) says.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import { CAMERA_MOVEMENTS, DEFAULT_DURATION, DEFAULT_RESOLUTION, DURATIONS, MODEL_RULES, type ModelRules, RESOLUTIONS, resolutionsOf } from '../../nodes/Hailuo/hailuo';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const START = '<!-- rules-table:start -->';
const END = '<!-- rules-table:end -->';

/** One table per model, as hailuo.ts defines the rules. */
function modelTable(rules: ModelRules): string {
	const cell = (duration: (typeof DURATIONS)[number], resolution: (typeof RESOLUTIONS)[number]) => {
		if (!rules.resolutions[duration].includes(resolution)) return 'no';
		if (rules.disputed.resolutions?.values.includes(resolution)) return `disputed: ${rules.disputed.resolutions.note}`;
		if (rules.firstFrameRequired.includes(resolution)) return 'yes, with a first frame';
		return resolution === DEFAULT_RESOLUTION ? 'yes (default)' : 'yes';
	};
	const firstFrame = rules.disputed.firstFrame
		? `disputed (${rules.disputed.firstFrame}): offered as optional, GMI decides`
		: rules.firstFrameRequired.length === resolutionsOf(rules).length
			? 'required'
			: rules.firstFrameRequired.length
				? `required at ${rules.firstFrameRequired.join(', ')}, optional otherwise`
				: 'optional';
	const lastFrame = rules.lastFrame.length
		? `at ${rules.lastFrame.join(', ')}${rules.disputed.lastFrame ? ` (${rules.disputed.lastFrame})` : ''}`
		: 'not accepted';
	return [
		`**${rules.id}**`,
		'',
		`| Duration | ${RESOLUTIONS.join(' | ')} |`,
		`|---|${RESOLUTIONS.map(() => ':---:').join('|')}|`,
		...DURATIONS.map((d) => `| ${d} s${d === DEFAULT_DURATION ? ' (default)' : ''} | ${RESOLUTIONS.map((r) => cell(d, r)).join(' | ')} |`),
		'',
		`First frame image: ${firstFrame}. Last frame image: ${lastFrame}.`,
		`Sources: ${rules.sources}.`,
	].join('\n');
}

const rulesTables = (): string => MODEL_RULES.map(modelTable).join('\n\n');

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
