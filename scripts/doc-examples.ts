/**
 * Keeps the code in README.md and docs/*.md identical to the files in docs/examples/, which
 * `npm run typecheck` compiles. A block is tied to its file by a marker line right above it:
 *
 *   <!-- example: docs/examples/quick-start.ts -->
 *   ```ts
 *   ...
 *   ```
 *
 * `--check` (CI) fails when a block differs from its file; `--write` copies files into blocks.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const marker = /<!-- example: (\S+) -->\n\n?```ts\n([\s\S]*?)```/g;
const mode = process.argv.includes('--write') ? 'write' : 'check';

const documents = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

let problems = 0;
let blocks = 0;
for (const doc of documents) {
  const path = join(root, doc);
  const text = readFileSync(path, 'utf8');
  const updated = text.replace(marker, (whole, file: string, code: string) => {
    blocks += 1;
    const examplePath = join(root, file);
    if (!existsSync(examplePath)) {
      problems += 1;
      console.error(`${doc}: example file ${file} does not exist`);
      return whole;
    }
    const source = readFileSync(examplePath, 'utf8');
    if (source !== code) {
      if (mode === 'check') {
        problems += 1;
        console.error(`${doc}: the block for ${file} differs from the file (npm run docs:sync)`);
      }
      return `<!-- example: ${file} -->\n\n\`\`\`ts\n${source}\`\`\``;
    }
    return whole;
  });
  const tsBlocks = (text.match(/^```ts$/gm) ?? []).length;
  const tied = [...text.matchAll(marker)].length;
  if (tsBlocks > tied) {
    problems += tsBlocks - tied;
    console.error(`${doc}: ${tsBlocks - tied} \`\`\`ts block(s) without an example marker`);
  }
  if (mode === 'write' && updated !== text) writeFileSync(path, updated);
}

console.log(`doc examples: ${blocks} blocks, ${problems} problems`);
if (problems > 0) process.exit(1);
