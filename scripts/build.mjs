// `npm run build`: the package's two builds, CommonJS in dist/cjs (for `require`) and ESM in
// dist/esm (for `import`), each with its own `.d.ts` and a package.json saying which it is.
// lib/ imports without extensions, which CommonJS resolves and Node's ESM loader does not: the
// ESM output's relative specifiers get their `.js` / `/index.js` here, in code and declarations.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(dist, { recursive: true, force: true });
for (const project of ['tsconfig.build.json', 'tsconfig.build.esm.json']) {
  execFileSync(process.execPath, [tsc, '-p', join(root, project)], { stdio: 'inherit' });
}
writeFileSync(join(dist, 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
writeFileSync(join(dist, 'esm', 'package.json'), '{ "type": "module" }\n');

const specifier = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.\.?(?:\/[^'"]*)?)\2/g;

function withExtension(file, spec) {
  const ext = file.endsWith('.d.ts') ? '.d.ts' : '.js';
  const target = resolve(dirname(file), spec);
  if (existsSync(target + ext)) return `${spec}.js`;
  if (existsSync(join(target, `index${ext}`))) return `${spec.replace(/\/$/, '')}/index.js`;
  if (spec.endsWith('.js') && existsSync(target)) return spec;
  throw new Error(`${file}: cannot resolve "${spec}" in the ESM build`);
}

function rewrite(dir) {
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) {
      rewrite(file);
    } else if (file.endsWith('.js') || file.endsWith('.d.ts')) {
      const source = readFileSync(file, 'utf8');
      const out = source.replace(
        specifier,
        (_, head, quote, spec) => `${head}${quote}${withExtension(file, spec)}${quote}`,
      );
      if (out !== source) writeFileSync(file, out);
    }
  }
}

rewrite(join(dist, 'esm'));
