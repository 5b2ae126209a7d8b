/**
 * The README's rules table and camera tag list are what users read before choosing values; they
 * must say what nodes/Hailuo/hailuo.ts (and so the editor and the run-time checks) says. The README
 * and docs/ are read as a whole too: every link leads somewhere, the README stays short enough to
 * read (and to ship), and what docs/development.md says about the scripts and the package is true.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { dirname, join, normalize } from 'path';

import { CAMERA_MOVEMENTS, DEFAULT_DURATION, DEFAULT_RESOLUTION, DURATIONS, MODEL_RULES, type ModelRules, RESOLUTIONS, resolutionsOf } from '../../nodes/Hailuo/hailuo';

const ROOT = join(__dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
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

// --- the README and docs/ as a whole -----------------------------------------------------------

const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const withoutCode = (text: string) => text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) =>
	heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N} _-]/gu, '')
		.replace(/ /g, '-');
const anchorsOf = (file: string) => new Set([...withoutCode(read(file)).matchAll(/^#+ (.+)$/gm)].map((m) => anchorOf(m[1])));

test('every relative link of the README and docs/*.md leads to a file, and every #anchor to a heading', () => {
	const broken: string[] = [];
	for (const file of DOCS) {
		for (const [, target] of withoutCode(read(file)).matchAll(/\]\(([^)\s]+)\)/g)) {
			if (/^(https?|mailto):/.test(target)) continue;
			const [path, anchor] = target.split('#');
			const to = path ? normalize(join(dirname(file), path)) : file;
			if (!existsSync(join(ROOT, to))) broken.push(`${file}: ${target} (no file ${to})`);
			else if (anchor !== undefined && (!to.endsWith('.md') || !anchorsOf(to).has(anchor))) broken.push(`${file}: ${target} (no heading #${anchor} in ${to})`);
		}
	}
	expect(broken).toEqual([]);
});

test('the README is at most 20 kB and links every page of docs/', () => {
	expect(Buffer.byteLength(README)).toBeLessThanOrEqual(20_000);
	const pages = DOCS.filter((f) => f !== 'README.md');
	expect(pages.filter((page) => !README.includes(`](${page})`))).toEqual([]);
});

test('every screenshot in docs/images/ is shown in the README or docs/', () => {
	const text = DOCS.map(read).join('\n');
	const unused = readdirSync(join(ROOT, 'docs', 'images')).filter((image) => !text.includes(`images/${image})`));
	expect(unused).toEqual([]);
});

test('docs/development.md names every npm script, and the package size limit check-pack enforces', () => {
	const development = read('docs/development.md');
	const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);
	const named = (script: string) => development.includes(`npm run ${script}`) || (['test', 'start'].includes(script) && development.includes(`npm ${script}`));
	expect(scripts.filter((script) => !named(script))).toEqual([]);
	const { MAX_PACKED_BYTES } = require(join(ROOT, 'scripts', 'check-pack.js')) as { MAX_PACKED_BYTES: number };
	expect(development).toContain(`at most ${MAX_PACKED_BYTES / 1000} kB`);
});
