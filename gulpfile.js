const { task, src, dest } = require('gulp');

/** tsc compiles the code; icons and the codex file are copied next to it as they are. */
task('build:icons', () =>
	src(['nodes/**/*.{png,svg,json}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(dest('dist')),
);
