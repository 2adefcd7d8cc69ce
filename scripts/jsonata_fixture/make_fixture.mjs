// Writes the fixtures that syncctl's tests compare its JSONata handling against:
//
//   tests/fixtures/jsonata/verdicts.json   for every expression of corpus.txt, what the reference
//                                          parser (npm `jsonata`) says: "ok" or the error code, with
//                                          the position and message when it gives them
//   tests/fixtures/jsonata/mutants.json    the same for 1500 seeded mutations of the corpus
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

// Mutants: corpus expressions with one to three characters deleted, inserted or copied, drawn
// from a seeded generator so that every run writes the same list. They find the disagreements a
// hand-written corpus misses; a disagreement found is added to corpus.txt with a label.
const MUTANTS = 1500;
const ALPHABET = [...'(){}[]"\'`/*.,;:?$&|@#^%<>=!~+-0123456789 \nabxλ\\'];

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutants(expressions) {
  const random = mulberry32(8);
  const pick = (n) => Math.floor(random() * n);
  const known = new Set(expressions);
  const out = new Set();
  while (out.size < MUTANTS) {
    let text = expressions[pick(expressions.length)];
    for (let edits = 1 + pick(3); edits > 0; edits--) {
      const at = pick(text.length + 1);
      const roll = random();
      if (roll < 0.4) text = text.slice(0, at) + text.slice(at + 1);
      else if (roll < 0.8) text = text.slice(0, at) + ALPHABET[pick(ALPHABET.length)] + text.slice(at);
      else {
        const from = pick(text.length + 1);
        text = text.slice(0, at) + text.slice(from, from + 3) + text.slice(at);
      }
    }
    if (!known.has(text)) out.add(text);
  }
  return [...out];
}

const corpus = readCorpus();
const seen = new Set();
for (const { expression } of corpus) {
  if (seen.has(expression)) throw new Error(`duplicate expression in corpus: ${expression}`);
  seen.add(expression);
}
const versions = { jsonata: versionOf('jsonata'), '@truto/truto-jsonata': versionOf('@truto/truto-jsonata') };
const verdicts = corpus.map(({ label, expression }) => ({ label, expression, ...verdictOf(expression) }));
const mutated = mutants(corpus.map((c) => c.expression)).map((expression) => ({ expression, ...verdictOf(expression) }));
const { builtins, extensions } = await knownFunctions();

mkdirSync(out, { recursive: true });
const note = 'generated by scripts/jsonata_fixture/make_fixture.mjs; do not edit';
writeFileSync(join(out, 'verdicts.json'), JSON.stringify({ note, versions, verdicts }, null, 1) + '\n');
// One mutant a line keeps the file readable and its diffs small.
const lines = mutated.map((m) => ' ' + JSON.stringify(m)).join(',\n');
writeFileSync(join(out, 'mutants.json'), `{"note": "${note}", "versions": ${JSON.stringify(versions)}, "verdicts": [\n${lines}\n]}\n`);
const functions = JSON.stringify({ note, versions, builtins, extensions }, null, 1) + '\n';
writeFileSync(join(out, 'functions.json'), functions);
// The copy syncctl ships and SJ810 reads.
writeFileSync(join(here, '..', '..', 'src', 'syncctl', 'data', 'jsonata-functions.json'), functions);
const errors = verdicts.filter((v) => v.verdict !== 'ok').length;
console.log(`${verdicts.length} expressions (${errors} errors), ${mutated.length} mutants, ${builtins.length} built-ins, ${extensions.length} extensions`);
