#!/usr/bin/env node
// `npm run dossier`: runs src/cli.ts from a bundle esbuild made of it (in .cache/cli/), which starts
// several times faster than tsx compiling and resolving ~100 modules on every call. The bundle is
// used only when it is fresh: every file it was made from — each project source by the sha256 of its
// content, each dependency file by its size and mtime — is checked before it runs. When anything
// changed (or on a fresh clone) the bundle is rebuilt first; if esbuild is missing or the build fails
// the CLI runs through tsx exactly as before. DOSSIER_BUNDLE=off always uses tsx.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'src', 'cli.ts');
const outRoot = join(root, '.cache', 'cli');
const metaPath = join(outRoot, 'meta.json');
/** Files that change how sources resolve or compile without being inputs themselves. */
const SENTINELS = ['package.json', 'package-lock.json', 'tsconfig.json'];
/** Not bundled: loaded at run time from node_modules (the Discord runtime and wink's model files). */
const EXTERNAL = ['discord.js', '@discordjs/ws', '@discordjs/rest', 'pino', 'wink-nlp', 'wink-eng-lite-web-model', 'esbuild', 'tsx'];
const LAUNCHER_VERSION = 1;
const debug = process.env.DOSSIER_DEBUG ? (s) => process.stderr.write(`[dossier launcher] ${s}\n`) : () => {};

const hashOf = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');
const statSig = (path) => {
  const s = statSync(path);
  return `${s.size}:${s.mtimeMs}`;
};
const isDependency = (rel) => rel.split(/[\\/]/).includes('node_modules');

/** The signature of one input as recorded at build time: content hash for sources, size+mtime for dependencies. */
function signature(rel) {
  const path = join(root, rel);
  return isDependency(rel) ? `s:${statSig(path)}` : `h:${hashOf(path)}`;
}

/** The bundle to run, or null when there is none or any of its inputs changed since it was built. */
function freshBundle() {
  let meta;
  try {
    meta = JSON.parse(readFileSync(metaPath, 'utf8'));
  } catch {
    return null;
  }
  if (meta.launcher !== LAUNCHER_VERSION || meta.node !== process.versions.node) return null;
  try {
    for (const [rel, sig] of Object.entries(meta.inputs)) if (signature(rel) !== sig) return debug(`changed: ${rel}`), null;
    statSync(join(outRoot, meta.bundle));
  } catch {
    return null;
  }
  return join(outRoot, meta.bundle);
}

const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.json': 'json' };

/** Builds the bundle; returns its entry file, or null (esbuild missing, a build error …). */
async function build() {
  let esbuild;
  try {
    const req = createRequire(join(root, 'package.json'));
    let path;
    try {
      path = req.resolve('esbuild');
    } catch {
      path = createRequire(req.resolve('tsx/package.json')).resolve('esbuild');
    }
    esbuild = await import(pathToFileURL(path).href);
  } catch (e) {
    debug(`no esbuild: ${e.message}`);
    return null;
  }
  const inputs = {};
  for (const s of SENTINELS) {
    try {
      inputs[s] = signature(s);
    } catch {
      /* absent */
    }
  }
  // Every file esbuild reads goes through here, so what is recorded is exactly what was bundled.
  const record = {
    name: 'record-inputs',
    setup(b) {
      b.onLoad({ filter: /.*/ }, (args) => {
        const loader = LOADERS[extname(args.path)];
        if (!loader) return undefined;
        const rel = relative(root, args.path);
        const before = isDependency(rel) ? statSig(args.path) : null;
        const contents = readFileSync(args.path);
        inputs[rel] = before !== null ? `s:${before}` : `h:${createHash('sha256').update(contents).digest('hex')}`;
        return { contents, loader };
      });
    },
  };
  const id = `${Date.now().toString(36)}-${process.pid}`;
  const outdir = join(outRoot, id);
  try {
    await esbuild.build({
      entryPoints: { cli: entry },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outdir,
      outExtension: { '.js': '.mjs' },
      external: EXTERNAL,
      plugins: [record],
      logLevel: 'silent',
      // Bundled CommonJS packages call require() for Node's own modules.
      banner: { js: "import { createRequire as __dossierRequire } from 'node:module'; const require = __dossierRequire(import.meta.url);" },
    });
  } catch (e) {
    debug(`build failed: ${e.message}`);
    rmSync(outdir, { recursive: true, force: true });
    return null;
  }
  const meta = { launcher: LAUNCHER_VERSION, node: process.versions.node, bundle: join(id, 'cli.mjs'), inputs };
  const tmp = `${metaPath}.${id}.tmp`;
  writeFileSync(tmp, JSON.stringify(meta));
  renameSync(tmp, metaPath);
  sweep(id);
  return join(outdir, 'cli.mjs');
}

/** Removes older bundles (left a minute for a process that may still be loading one). */
function sweep(keep) {
  try {
    for (const name of readdirSync(outRoot)) {
      if (name === keep || name === 'meta.json') continue;
      const p = join(outRoot, name);
      if (Date.now() - statSync(p).mtimeMs > 60_000) rmSync(p, { recursive: true, force: true });
    }
  } catch {
    /* best effort */
  }
}

async function main() {
  if (process.env.DOSSIER_BUNDLE !== 'off') {
    mkdirSync(outRoot, { recursive: true });
    const bundle = freshBundle() ?? (await build());
    if (bundle) {
      debug(`running ${relative(root, bundle)}`);
      // src/cli.ts runs itself when it is the main module: make the bundle's entry the main module.
      process.argv[1] = bundle;
      await import(pathToFileURL(bundle).href);
      return;
    }
  }
  debug('running through tsx');
  const tsx = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx');
  const r = spawnSync(tsx, [entry, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exitCode = r.status ?? 1;
}

await main();
