import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../lib/paths.ts';

/**
 * The architecture's forbidden imports (DESIGN.md §2, issue 10 §3), checked over every source file under the code
 * folders, and every workspace package's package.json checked against what its code imports. A violation names
 * file:line, the import and the rule. The checker works on in-memory files, so the self-tests below feed it fakes.
 */

interface SourceFile {
  /** Repository-relative, with forward slashes. */
  path: string;
  text: string;
}

interface Violation {
  file: string;
  line: number;
  specifier: string;
  rule: string;
}

/** What an import refers to: a Node builtin, a package (npm or ours, however reached), or a file of this repo. */
type Target =
  | { kind: 'builtin'; name: string }
  | { kind: 'package'; name: string }
  | { kind: 'file'; path: string; workspace?: string };

const CODE_FOLDERS = ['packages', 'lambdas', 'lib', 'containers', 'web'];
const SOURCE = /\.(ts|tsx|js|mjs|cjs)$/;
const SKIPPED = new Set(['node_modules', 'dist', 'cdk.out', 'bench-out', '.cache']);
const TEST_TOOLS = new Set(['vitest', 'fast-check']);
const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));

/**
 * Lambda handlers that may run the engine: the modelling service (lambdas/modeling/) will get its own explicit
 * entries here, each with the reason. Empty today: no handler runs the engine.
 */
const ENGINE_IN_LAMBDAS: readonly string[] = [];

/** Node builtins the engine may use, each with its reason. Empty: the engine does no I/O. */
const ENGINE_BUILTINS: readonly string[] = [];

/** The npm packages the engine uses: fflate (zlib for 3MF inflate and PNG deflate). */
const ENGINE_NPM = new Set(['fflate']);

const isTest = (path: string): boolean => /\.test\.[cm]?[jt]sx?$/.test(path) || path.includes('/testing/');

/** Every static and dynamic import (`import`, `export … from`, `import()`, `require()`) with its line. */
const importsOf = (text: string): { specifier: string; line: number }[] => {
  const info = ts.preProcessFile(text, true, true);
  const newlines: number[] = [];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) newlines.push(i);
  const lineOf = (pos: number): number => {
    let n = 0;
    while (n < newlines.length && (newlines[n] ?? 0) < pos) n++;
    return n + 1;
  };
  return info.importedFiles.map((f) => ({ specifier: f.fileName, line: lineOf(f.pos) }));
};

/** Workspace directory name → package name, e.g. geometry → @facet/geometry. */
const workspaceNames = (): Map<string, string> => {
  const names = new Map<string, string>();
  for (const dir of readdirSync(join(repoRoot, 'packages'))) {
    const manifest = join(repoRoot, 'packages', dir, 'package.json');
    if (existsSync(manifest)) names.set(dir, JSON.parse(readFileSync(manifest, 'utf8')).name);
  }
  return names;
};
const WORKSPACES = workspaceNames();

const packageOf = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

const targetOf = (from: string, specifier: string): Target => {
  const bare = specifier.replace(/^node:/, '');
  if (specifier.startsWith('node:') || BUILTINS.has(packageOf(bare))) return { kind: 'builtin', name: `node:${bare}` };
  if (!specifier.startsWith('.')) return { kind: 'package', name: packageOf(specifier) };
  const path = posix.normalize(posix.join(posix.dirname(from), specifier));
  const [top, dir] = path.split('/');
  const workspace = top === 'packages' && dir ? WORKSPACES.get(dir) : undefined;
  return workspace ? { kind: 'file', path, workspace } : { kind: 'file', path };
};

/** The package an import reaches, by name or by a relative path into packages/. */
const reachedPackage = (t: Target): string | undefined =>
  t.kind === 'package' ? t.name : t.kind === 'file' ? t.workspace : undefined;

const workspaceOfFile = (path: string): string | undefined => {
  const [top, dir] = path.split('/');
  return top === 'packages' && dir ? WORKSPACES.get(dir) : undefined;
};

interface Rule {
  name: string;
  appliesTo: (path: string) => boolean;
  forbids: (target: Target, path: string) => boolean;
}

/** "Imports only …": anything else is forbidden, Node builtins included; tests may add the test tools. */
const only =
  (allowed: readonly string[]) =>
  (t: Target, path: string): boolean => {
    if (t.kind === 'builtin') return true;
    // A relative path that leaves packages/ reaches no package: forbidden too.
    const name = reachedPackage(t);
    if (name === undefined) return true;
    return !allowed.includes(name) && !(isTest(path) && TEST_TOOLS.has(name));
  };

const RULES: readonly Rule[] = [
  {
    name: 'the domain imports no AWS SDK, CDK, engine, calculation or adapters',
    appliesTo: (p) => p.startsWith('packages/domain/'),
    forbids: (t) => {
      const name = reachedPackage(t) ?? '';
      return (
        name.startsWith('@aws-sdk/') ||
        ['aws-cdk-lib', 'constructs', '@facet/geometry', '@facet/calculation', '@facet/adapters'].includes(name)
      );
    },
  },
  {
    name: 'the geometry engine imports no other workspace package',
    appliesTo: (p) => p.startsWith('packages/geometry/'),
    forbids: (t) => {
      const name = reachedPackage(t);
      return (name ?? '').startsWith('@facet/') && name !== '@facet/geometry';
    },
  },
  {
    name: `the geometry engine uses no npm package but ${[...ENGINE_NPM].join(', ')} (tests: also ${[...TEST_TOOLS].join(', ')})`,
    appliesTo: (p) => p.startsWith('packages/geometry/src/'),
    forbids: (t, path) =>
      t.kind === 'package' &&
      !t.name.startsWith('@facet/') &&
      !ENGINE_NPM.has(t.name) &&
      !(isTest(path) && TEST_TOOLS.has(t.name)),
  },
  {
    name: 'the geometry engine does no I/O: no Node builtins',
    appliesTo: (p) => p.startsWith('packages/geometry/src/'),
    forbids: (t) => t.kind === 'builtin' && !ENGINE_BUILTINS.includes(t.name),
  },
  {
    name: 'contracts import only zod',
    appliesTo: (p) => p.startsWith('packages/contracts/'),
    forbids: only(['zod', '@facet/contracts']),
  },
  {
    name: 'the wiring imports only @facet/contracts, zod and zod-openapi',
    appliesTo: (p) => p.startsWith('packages/wiring/'),
    forbids: only(['@facet/wiring', '@facet/contracts', 'zod', 'zod-openapi']),
  },
  {
    name: 'a workspace package reaches another only by its name, never by a relative path',
    appliesTo: (p) => p.startsWith('packages/'),
    forbids: (t, path) => t.kind === 'file' && t.workspace !== undefined && t.workspace !== workspaceOfFile(path),
  },
  {
    name: 'lib/ (infrastructure) imports nothing from lambdas/ or containers/',
    appliesTo: (p) => p.startsWith('lib/'),
    forbids: (t) => t.kind === 'file' && (t.path.startsWith('lambdas/') || t.path.startsWith('containers/')),
  },
  {
    name: 'no Lambda handler runs the engine or the calculation (they belong to the calculator)',
    appliesTo: (p) => p.startsWith('lambdas/') && !ENGINE_IN_LAMBDAS.includes(p),
    forbids: (t) => ['@facet/geometry', '@facet/calculation'].includes(reachedPackage(t) ?? ''),
  },
  {
    name: 'browser code imports only @facet/contracts of ours, no Node builtins, no AWS SDK or CDK',
    // A site's src/ runs in the browser; its build script and Vite config beside it run on Node.
    appliesTo: (p) => /^web\/[^/]+\/src\//.test(p),
    forbids: (t) => {
      if (t.kind === 'builtin') return true;
      const name = reachedPackage(t) ?? '';
      if (name.startsWith('@facet/')) return name !== '@facet/contracts';
      return name.startsWith('@aws-sdk/') || name === 'aws-cdk-lib' || name === 'constructs';
    },
  },
];

const checkImports = (files: readonly SourceFile[]): Violation[] =>
  files.flatMap((file) => {
    const rules = RULES.filter((r) => r.appliesTo(file.path));
    if (rules.length === 0) return [];
    return importsOf(file.text).flatMap(({ specifier, line }) => {
      const target = targetOf(file.path, specifier);
      return rules
        .filter((r) => r.forbids(target, file.path))
        .map((r) => ({ file: file.path, line, specifier, rule: r.name }));
    });
  });

const format = (v: Violation): string => `${v.file}:${v.line}: '${v.specifier}' — ${v.rule}`;

const walk = (dir: string, out: string[] = []): string[] => {
  if (!existsSync(join(repoRoot, dir))) return out;
  for (const e of readdirSync(join(repoRoot, dir), { withFileTypes: true })) {
    if (SKIPPED.has(e.name)) continue;
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) walk(path, out);
    else if (SOURCE.test(e.name)) out.push(path);
  }
  return out;
};
const read = (path: string): SourceFile => ({ path, text: readFileSync(join(repoRoot, path), 'utf8') });

// --- package.json: exports that exist, dependencies that are what the code imports ----------------------------

interface Manifest {
  name: string;
  exports?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** Development tools inside a package's src: their imports belong in devDependencies. */
const TOOLS: Readonly<Record<string, string>> = {
  'packages/client/src/generate.ts': 'regenerates schema.ts from the wiring (npm run client:generate)',
};

/**
 * What a workspace's manifest gets wrong: an export naming a missing file, a package its shipped code (src/ and
 * bin/, tests and tools aside) imports but `dependencies` lacks, a dependency nothing imports, a package a test or
 * tool imports that neither the workspace nor the root declares.
 */
const checkManifest = (
  dir: string,
  manifest: Manifest,
  files: readonly SourceFile[],
  root: Manifest,
  exists: (path: string) => boolean,
): string[] => {
  const problems: string[] = [];
  for (const [key, target] of Object.entries(manifest.exports ?? {})) {
    const path = posix.join(dir, target);
    const mustExist = target.includes('*') ? posix.dirname(path) : path;
    if (!exists(mustExist)) problems.push(`${dir}/package.json: export "${key}" names ${target}, which does not exist`);
  }
  const shipped = new Map<string, string>();
  const support = new Map<string, string>();
  for (const file of files) {
    const inTree = file.path.startsWith(`${dir}/src/`) || file.path.startsWith(`${dir}/bin/`);
    if (!inTree) continue;
    const into = isTest(file.path) || file.path in TOOLS ? support : shipped;
    for (const { specifier, line } of importsOf(file.text)) {
      const t = targetOf(file.path, specifier);
      if (t.kind === 'package' && t.name !== manifest.name && !into.has(t.name)) {
        into.set(t.name, `${file.path}:${line}`);
      }
    }
  }
  const declared = new Set(Object.keys(manifest.dependencies ?? {}));
  for (const [name, where] of shipped) {
    if (!declared.has(name)) problems.push(`${dir}/package.json: dependencies lack ${name} (imported at ${where})`);
  }
  for (const name of declared) {
    if (!shipped.has(name)) problems.push(`${dir}/package.json: dependency ${name} is imported by none of its code`);
  }
  const available = new Set([
    ...declared,
    ...Object.keys(manifest.devDependencies ?? {}),
    ...Object.keys(root.devDependencies ?? {}),
  ]);
  for (const [name, where] of support) {
    if (!available.has(name)) problems.push(`${dir}/package.json: ${name} (imported at ${where}) is not declared`);
  }
  return problems;
};

// --- the real tree ----------------------------------------------------------------------------------------------

const files = CODE_FOLDERS.flatMap((dir) => walk(dir)).map(read);
const rootManifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;

describe('architecture: forbidden imports', () => {
  it('reads the code folders (packages, lambdas, lib, containers; web once it exists)', () => {
    // Assess: a walk that finds nothing would pass every rule.
    for (const dir of ['packages/domain/', 'packages/geometry/src/', 'lambdas/', 'lib/', 'containers/']) {
      expect(files.some((f) => f.path.startsWith(dir))).toBe(true);
    }
    expect(files.length).toBeGreaterThan(100);
  });

  it('holds across the tree', () => {
    // Act
    const violations = checkImports(files).map(format);
    // Assess
    expect(violations).toEqual([]);
  });

  it.each([...WORKSPACES.keys()])(
    'packages/%s/package.json: exports exist, dependencies are what its code imports',
    (dir) => {
      // Prepare
      const path = `packages/${dir}`;
      const manifest = JSON.parse(readFileSync(join(repoRoot, path, 'package.json'), 'utf8')) as Manifest;
      // Act
      const problems = checkManifest(path, manifest, files, rootManifest, (p) => existsSync(join(repoRoot, p)));
      // Assess
      expect(problems).toEqual([]);
    },
  );
});

describe('architecture checker (self-test on fake files)', () => {
  it('names file:line and the rule for each forbidden import, static or dynamic', () => {
    // Prepare
    const fakes: SourceFile[] = [
      {
        path: 'packages/domain/src/orders/leaky.ts',
        text: [
          "import { S3Client } from '@aws-sdk/client-s3';",
          '// import { nothing } from "@facet/adapters"; (a comment is no import)',
          "export { weld } from '@facet/geometry/weld';",
          "const calc = await import('@facet/calculation');",
        ].join('\n'),
      },
      { path: 'packages/geometry/src/reader.ts', text: "import { readFileSync } from 'node:fs';\nimport 'lodash';" },
      {
        path: 'packages/contracts/src/x.ts',
        text: "import { z } from 'zod';\nimport { Order } from '@facet/domain/order';",
      },
      { path: 'packages/cli/src/x.ts', text: "import { weld } from '../../geometry/src/weld.ts';" },
      { path: 'lib/api/stack.ts', text: "import { handler } from '../../lambdas/clients/get-order.ts';" },
      { path: 'lambdas/modeling/engrave.ts', text: "const { runCalculation } = require('@facet/calculation');" },
      { path: 'web/shop/src/api.ts', text: "import type { Order } from '@facet/contracts';\nimport fs from 'fs';" },
    ];
    // Act
    const found = checkImports(fakes).map((v) => `${v.file}:${v.line} ${v.specifier}`);
    // Assess
    expect(found).toEqual([
      'packages/domain/src/orders/leaky.ts:1 @aws-sdk/client-s3',
      'packages/domain/src/orders/leaky.ts:3 @facet/geometry/weld',
      'packages/domain/src/orders/leaky.ts:4 @facet/calculation',
      'packages/geometry/src/reader.ts:1 node:fs',
      'packages/geometry/src/reader.ts:2 lodash',
      'packages/contracts/src/x.ts:2 @facet/domain/order',
      'packages/cli/src/x.ts:1 ../../geometry/src/weld.ts',
      'lib/api/stack.ts:1 ../../lambdas/clients/get-order.ts',
      'lambdas/modeling/engrave.ts:1 @facet/calculation',
      'web/shop/src/api.ts:2 fs',
    ]);
    expect(format(checkImports(fakes)[0] as Violation)).toBe(
      "packages/domain/src/orders/leaky.ts:1: '@aws-sdk/client-s3' — the domain imports no AWS SDK, CDK, engine, calculation or adapters",
    );
  });

  it('lets tests use the test tools where a package may import only a few packages', () => {
    // Act
    const found = checkImports([
      { path: 'packages/wiring/src/x.test.ts', text: "import { it } from 'vitest';\nimport fc from 'fast-check';" },
      { path: 'packages/geometry/src/x.test.ts', text: "import { it } from 'vitest';" },
    ]);
    // Assess
    expect(found).toEqual([]);
  });

  it('finds a missing dependency, an unused one and an export naming no file', () => {
    // Prepare
    const manifest: Manifest = {
      name: '@facet/fake',
      exports: { '.': './src/index.ts', './*': './src/*.ts' },
      dependencies: { zod: '^4.6.7', '@facet/contracts': '0.1.0' },
    };
    const fake: SourceFile[] = [
      { path: 'packages/fake/src/a.ts', text: "import { z } from 'zod';\nimport { x } from '@facet/domain/x';" },
      { path: 'packages/fake/src/a.test.ts', text: "import { it } from 'vitest';\nimport y from 'left-pad';" },
    ];
    // Act
    const problems = checkManifest('packages/fake', manifest, fake, rootManifest, (p) => p === 'packages/fake/src');
    // Assess
    expect(problems).toEqual([
      'packages/fake/package.json: export "." names ./src/index.ts, which does not exist',
      'packages/fake/package.json: dependencies lack @facet/domain (imported at packages/fake/src/a.ts:2)',
      'packages/fake/package.json: dependency @facet/contracts is imported by none of its code',
      'packages/fake/package.json: left-pad (imported at packages/fake/src/a.test.ts:2) is not declared',
    ]);
  });
});
