'use strict';
// /usr/bin/expect -c SCRIPT, for the one script form superd writes (daemon/host/expect.ts
// expectScript). It does what that Tcl does on a real Mac (checked with a real expect in
// test/host/expect.test.ts): spawn the command (here: its fake, through its launcher in the root),
// wait for each prompt in the command's output, type the answer from the environment variable
// named for it, then print what the command printed after the last prompt with secret answers
// masked, and exit with the command's status (124: a prompt did not come in time; 125: the
// command ended before a prompt). A pseudo-terminal merges stdout and stderr and turns the typed
// carriage return into a newline; the fake passes stdout and stderr through one buffer and types
// "\n". Any other script is refused: this fake is not a Tcl interpreter.

const { spawn } = require('child_process');

/** The braced words of `set NAME [list {a} {b} WORD …]`, or null. */
function listOf(script, name) {
  const m = new RegExp(`^set ${name} \\[list ?(.*)\\]$`, 'm').exec(script);
  if (!m) return null;
  const words = [];
  const re = /\{([^{}]*)\}|(\S+)/g;
  let w;
  while ((w = re.exec(m[1])) !== null) words.push(w[1] !== undefined ? w[1] : w[2]);
  return words;
}

function mask(text, secrets) {
  let out = text;
  for (const s of secrets) if (s !== '') out = out.split(s).join('********');
  return out;
}

async function expect(ctx) {
  const script = ctx.argv[0] === '-c' ? ctx.argv[1] || '' : '';
  const timeout = /^set timeout (\d+)$/m.exec(script);
  const command = listOf(script, 'command');
  const pairs = listOf(script, 'prompts');
  const secretNames = listOf(script, 'secrets');
  if (!timeout || !command || command.length === 0 || !pairs || pairs.length % 2 !== 0 || !secretNames || !/^spawn -noecho \{\*\}\$command$/m.test(script)) {
    ctx.err('fake expect: only the script of daemon/host/expect.ts is supported\n');
    return 70;
  }
  const prompts = [];
  for (let i = 0; i < pairs.length; i += 2) prompts.push({ prompt: pairs[i], answer: ctx.env[pairs[i + 1]] });
  if (prompts.some((p) => p.answer === undefined)) {
    ctx.err('fake expect: can\'t read "env(…)": no such variable\n'); // Tcl's wording for a missing array element
    return 1;
  }
  const secrets = secretNames.map((n) => ctx.env[n] || '');
  const seconds = Number(timeout[1]);

  const child = spawn(ctx.file(command[0]), command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: ctx.env });
  let buffer = '';
  let exited = null;
  const changed = [];
  const notify = () => changed.splice(0).forEach((f) => f());
  child.stdout.on('data', (c) => ((buffer += c.toString('utf8')), notify()));
  child.stderr.on('data', (c) => ((buffer += c.toString('utf8')), notify()));
  child.on('close', (code) => ((exited = code === null ? 1 : code), notify()));
  child.stdin.on('error', () => undefined);
  const until = (test) =>
    new Promise((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), seconds * 1000);
      const check = () => {
        const r = test();
        if (r) {
          clearTimeout(timer);
          resolve(r);
        } else changed.push(check);
      };
      check();
    });

  for (let i = 0; i < prompts.length; i += 1) {
    const { prompt, answer } = prompts[i];
    const r = await until(() => (buffer.includes(prompt) ? 'prompt' : exited !== null ? 'eof' : null));
    if (r === 'timeout') {
      ctx.out(`superd-expect: no prompt "${prompt}" within ${seconds} s\n`);
      child.kill('SIGKILL');
      return 124;
    }
    if (r === 'eof') {
      ctx.out(mask(buffer, secrets));
      ctx.out(`superd-expect: the command ended before the prompt "${prompt}"\n`);
      return 125;
    }
    buffer = buffer.slice(buffer.indexOf(prompt) + prompt.length);
    child.stdin.write(`${answer}\n`);
    if (i === prompts.length - 1) child.stdin.end();
  }
  const r = await until(() => (exited !== null ? 'eof' : null));
  if (r === 'timeout') {
    ctx.out(`superd-expect: the command did not finish within ${seconds} s\n`);
    child.kill('SIGKILL');
    return 124;
  }
  ctx.out(mask(buffer, secrets));
  return exited;
}

module.exports = { expect };
