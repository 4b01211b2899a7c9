import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { mappedErrorCodes } from '../daemon/exitStatus';

/**
 * The shape of daemon/, checked on every run: who may import whom, that errors carry codes,
 * and that exit statuses are chosen in one module. Read from the sources with TypeScript's own
 * parser, so comments and strings never count.
 */
const daemonDir = path.join(__dirname, '../daemon');
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? sources(file) : file.endsWith('.ts') ? [file] : [];
  });
}
const files = sources(daemonDir);
const parsed = new Map(files.map((f) => [f, ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.ES2023, true)]));
const rel = (f: string) => path.relative(daemonDir, f).split(path.sep).join('/');

/** Every relative module a file names: static imports and re-exports (type-only too), require() and import(). */
function importsOf(file: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]!)) {
      if ((ts.isIdentifier(node.expression) && node.expression.text === 'require') || node.expression.kind === ts.SyntaxKind.ImportKeyword) found.push((node.arguments[0] as ts.StringLiteral).text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(parsed.get(file)!);
  return found
    .filter((m) => m.startsWith('.'))
    .map((m) => {
      const base = path.resolve(path.dirname(file), m);
      return [`${base}.ts`, path.join(base, 'index.ts')].find((c) => parsed.has(c)) ?? `${base}.ts`;
    });
}
const graph = new Map(files.map((f) => [f, importsOf(f)]));

/**
 * Layers, lowest first. A module may import its own folder, any lower layer and (between
 * different folders) its own layer; never a higher one. The cycle test below keeps peers honest.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['errors', 'exitStatus', 'version', 'buildInfo'],
  ['host'],
  ['log', 'config'],
  ['status', 'jamf'],
  ['auth', 'workflow', 'schedule'],
  ['credentials', 'failover'],
  ['lifecycle', 'doctor', 'migration'],
  ['cli'],
];
const area = (f: string) => rel(f).split('/')[0]!.replace(/\.ts$/, '');
const rank = (f: string) => LAYERS.findIndex((layer) => layer.includes(area(f)));

test('nothing in daemon/ imports test/ or scripts/ (the product never depends on the simulator or fakes)', () => {
  expect(files.length).toBeGreaterThan(20);
  const offenders = files.filter((f) => /(?:from|require\(|import\()\s*['"](?:\.\.\/)+(?:test|scripts)\//.test(readFileSync(f, 'utf8')));
  expect(offenders).toEqual([]);
});

test('the lifecycle machine does no I/O: it imports only xstate and superd\'s error classes at run time, and types', () => {
  const source = readFileSync(path.join(daemonDir, 'lifecycle/runMachine.ts'), 'utf8');
  const runtimeImports = [...source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1]);
  expect(runtimeImports.sort()).toEqual(['../errors', 'xstate']);
  expect(source).not.toMatch(/require\(/);
});

test('every folder of daemon/ has a layer', () => {
  expect(files.filter((f) => rank(f) < 0).map(rel)).toEqual([]);
});

test('no module imports a layer above its own', () => {
  const upward: string[] = [];
  for (const [file, targets] of graph) {
    for (const target of targets) {
      if (area(target) !== area(file) && rank(target) > rank(file)) upward.push(`${rel(file)} -> ${rel(target)}`);
    }
  }
  expect(upward).toEqual([]);
});

test('no import cycles, type-only imports included', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'visiting');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next].map(rel).join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  expect(cycles).toEqual([]);
});

/** The error classes of daemon/errors.ts and their codes. */
function errorClasses(): Map<string, string | null> {
  const classes = new Map<string, string | null>();
  const source = parsed.get(path.join(daemonDir, 'errors.ts'))!;
  for (const statement of source.statements) {
    if (!ts.isClassDeclaration(statement) || !statement.name) continue;
    const codeMember = statement.members.find((m) => ts.isPropertyDeclaration(m) && m.name.getText(source) === 'code') as ts.PropertyDeclaration | undefined;
    const literal = codeMember?.initializer && ts.isStringLiteral(codeMember.initializer) ? codeMember.initializer.text : null;
    classes.set(statement.name.text, literal);
  }
  return classes;
}

test('every error class lives in daemon/errors.ts', () => {
  const elsewhere = files
    .filter((f) => rel(f) !== 'errors.ts')
    .flatMap((f) => parsed.get(f)!.statements
      .filter((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s))
      .filter((s) => s.heritageClauses?.some((h) => /Error\b/.test(h.getText())))
      .map((s) => `${rel(f)}: ${s.name?.text}`));
  expect(elsewhere).toEqual([]);
});

test('every error class has a stable SUPERD_ERR_* code (a subclass without its own code keeps its parent\'s)', () => {
  const classes = errorClasses();
  expect(classes.size).toBeGreaterThan(10);
  const source = parsed.get(path.join(daemonDir, 'errors.ts'))!;
  const uncoded: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isClassDeclaration(statement) || !statement.name || statement.name.text === 'SuperdError') continue;
    const parent = statement.heritageClauses?.[0]?.types[0]?.expression.getText(source);
    const own = classes.get(statement.name.text);
    const inherited = parent && parent !== 'SuperdError' && parent !== 'ConfigError' ? classes.get(parent) : parent === 'ConfigError' ? 'SUPERD_ERR_CONFIG' : null;
    const code = own ?? inherited;
    if (!code || !/^SUPERD_ERR_[A-Z_]+$/.test(code)) uncoded.push(statement.name.text);
  }
  expect(uncoded).toEqual([]);
});

test('every throw in daemon/ throws a coded superd error (or rethrows what it caught: a caught error, its `.error`, an abort signal\'s reason)', () => {
  const classes = errorClasses();
  const offenders: string[] = [];
  for (const [file, source] of parsed) {
    const caught = new Set<string>();
    const visit = (node: ts.Node) => {
      if (ts.isCatchClause(node) && node.variableDeclaration && ts.isIdentifier(node.variableDeclaration.name)) caught.add(node.variableDeclaration.name.text);
      if (ts.isThrowStatement(node) && node.expression) {
        const e = node.expression;
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        if (ts.isNewExpression(e)) {
          const name = e.expression.getText(source);
          if (!classes.has(name) || name === 'SuperdError') offenders.push(`${rel(file)}:${line} throw new ${name}`);
        } else if (!(ts.isIdentifier(e) && (caught.has(e.text) || /error|failure|cause|err$/i.test(e.text))) && !(ts.isPropertyAccessExpression(e) && /^(error|failure|cause)$/.test(e.name.text)) && !/\bsignal\.reason$/.test(e.getText(source)) && !ts.isAwaitExpression(e) && !ts.isCallExpression(e)) {
          offenders.push(`${rel(file)}:${line} throw ${e.getText(source).slice(0, 40)}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  expect(offenders).toEqual([]);
});

test('every coded error is mapped by the exit-status module', () => {
  const codes = [...errorClasses().values()].filter((c): c is string => c !== null && c !== 'SUPERD_ERR');
  expect(codes.filter((c) => !mappedErrorCodes().includes(c))).toEqual([]);
});

test('one exit-status module: no other module of daemon/ writes an exit status as a number', () => {
  const EXIT_NUMBERS = new Set(['64', '69', '70', '75', '77', '78']);
  const offenders: string[] = [];
  for (const [file, source] of parsed) {
    if (rel(file) === 'exitStatus.ts') continue;
    const visit = (node: ts.Node) => {
      if (ts.isNumericLiteral(node) && EXIT_NUMBERS.has(node.text)) {
        offenders.push(`${rel(file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${node.parent.getText(source).slice(0, 60)}`);
      }
      if ((ts.isPropertyAccessExpression(node) && node.getText(source) === 'process.exit') || (ts.isPropertyAccessExpression(node) && node.name.text === 'exitCode' && node.expression.getText(source) === 'process')) {
        const parent = node.parent;
        const assigned = ts.isBinaryExpression(parent) && parent.left === node ? parent.right.getText(source) : ts.isCallExpression(parent) ? parent.arguments.map((a) => a.getText(source)).join() : '';
        if (/^\d+$/.test(assigned)) offenders.push(`${rel(file)}: process exit with a literal ${assigned}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  expect(offenders).toEqual([]);
});
