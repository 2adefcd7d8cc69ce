// Writes the fixtures that syncctl's tests compare its JSONata handling against:
//
//   tests/fixtures/jsonata/verdicts.json   for every expression of corpus.txt, what the reference
//                                          parser (npm `jsonata`) says: "ok" or the error code, with
//                                          the position and message when it gives them
//   tests/fixtures/jsonata/functions.json  the functions Truto's runtime knows: JSONata built-ins
//                                          plus the extensions of `@truto/truto-jsonata` (also
//                                          written to src/syncctl/data/jsonata-functions.json)
//
// Parsing never evaluates; only the `$type($name)` probes that decide functions.json evaluate.
// Run with `npm ci && node make_fixture.mjs` in this folder (see README.md).

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import jsonata from 'jsonata';
import trutoJsonata from '@truto/truto-jsonata';
import { registerAiExtensions } from '@truto/truto-jsonata/presets/ai';
import { registerCoreExtensions } from '@truto/truto-jsonata/presets/core';
import { registerDataFormatsExtensions } from '@truto/truto-jsonata/presets/data-formats';
import { registerDatetimeExtensions } from '@truto/truto-jsonata/presets/datetime';
import { registerHtmlExtensions } from '@truto/truto-jsonata/presets/html';
import { registerMarkdownExtensions } from '@truto/truto-jsonata/presets/markdown';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', '..', 'tests', 'fixtures', 'jsonata');
const require = createRequire(import.meta.url);

function versionOf(name) {
  return JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
}

// corpus.txt: "=== label" starts an entry; the lines up to the next one are the expression.
function readCorpus() {
  const entries = [];
  let current = null;
  for (const line of readFileSync(join(here, 'corpus.txt'), 'utf8').split('\n')) {
    if (line.startsWith('=== ')) {
      current = { label: line.slice(4).trim(), lines: [] };
      entries.push(current);
    } else if (current) {
      current.lines.push(line);
    }
  }
  return entries.map(({ label, lines }) => {
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    return { label, expression: lines.join('\n') };
  });
}

function verdictOf(expression) {
  try {
    jsonata(expression); // parses (and checks) the expression; nothing is evaluated
    return { verdict: 'ok' };
  } catch (err) {
    const verdict = { verdict: err.code ?? 'error' };
    if (typeof err.position === 'number') verdict.position = err.position;
    verdict.message = err.message;
    return verdict;
  }
}

async function knownFunctions() {
  // JSONata's built-ins are the names it binds in its static frame and, for $now and $millis,
  // in each expression's environment; read them from its source.
  const source = readFileSync(require.resolve('jsonata'), 'utf8');
  const builtins = new Set([...source.matchAll(/(?:staticFrame|environment)\.bind\('([A-Za-z_][A-Za-z0-9_]*)'/g)].map((m) => m[1]));
  // Truto's extensions are the names its presets register; record them on a stand-in expression.
  const extensions = new Set();
  const recorder = { registerFunction: (name) => extensions.add(name) };
  for (const register of [
    registerCoreExtensions,
    registerDatetimeExtensions,
    registerMarkdownExtensions,
    registerHtmlExtensions,
    registerDataFormatsExtensions,
    registerAiExtensions,
  ]) {
    register(recorder);
  }
  // Guard: every name the bundle registers anywhere must come from one of those presets.
  const bundle = readFileSync(join(here, 'node_modules', '@truto', 'truto-jsonata', 'dist', 'esm', 'index.js'), 'utf8');
  for (const [, name] of bundle.matchAll(/registerFunction\("([A-Za-z_][A-Za-z0-9_]*)"/g)) {
    if (!extensions.has(name)) throw new Error(`$${name} is registered outside the known presets`);
  }
  // Keep a candidate only when Truto's wrapper really exposes it as a function.
  const isFunction = async (name) => (await trutoJsonata(`$type($${name})`).evaluate({})) === 'function';
  const keep = async (names) => {
    const kept = [];
    for (const name of [...names].sort()) {
      if (await isFunction(name)) kept.push(name);
      else throw new Error(`candidate $${name} is not a function in truto-jsonata`);
    }
    return kept;
  };
  const notAFunction = await isFunction('surelyNoSuchFunction');
  if (notAFunction) throw new Error('$type probe is broken');
  return { builtins: await keep(builtins), extensions: await keep([...extensions].filter((n) => !builtins.has(n))) };
}

const corpus = readCorpus();
const seen = new Set();
for (const { expression } of corpus) {
  if (seen.has(expression)) throw new Error(`duplicate expression in corpus: ${expression}`);
  seen.add(expression);
}
const versions = { jsonata: versionOf('jsonata'), '@truto/truto-jsonata': versionOf('@truto/truto-jsonata') };
const verdicts = corpus.map(({ label, expression }) => ({ label, expression, ...verdictOf(expression) }));
const { builtins, extensions } = await knownFunctions();

mkdirSync(out, { recursive: true });
const note = 'generated by scripts/jsonata_fixture/make_fixture.mjs; do not edit';
writeFileSync(join(out, 'verdicts.json'), JSON.stringify({ note, versions, verdicts }, null, 1) + '\n');
const functions = JSON.stringify({ note, versions, builtins, extensions }, null, 1) + '\n';
writeFileSync(join(out, 'functions.json'), functions);
// The copy syncctl ships and SJ810 reads.
writeFileSync(join(here, '..', '..', 'src', 'syncctl', 'data', 'jsonata-functions.json'), functions);
const errors = verdicts.filter((v) => v.verdict !== 'ok').length;
console.log(`${verdicts.length} expressions (${errors} errors), ${builtins.length} built-ins, ${extensions.length} extensions`);
