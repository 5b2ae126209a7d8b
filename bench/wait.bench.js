#!/usr/bin/env node
// `npm run bench`: runs bench/wait.bench.ts (the real node through n8n's engine) via the TS require hook.
require('../scripts/ts-register');
require('./wait.bench.ts');
