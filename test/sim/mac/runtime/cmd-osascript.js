'use strict';
// /usr/bin/osascript: the password dialog (reference §11).
//
// A `display dialog` (AppleScript) or `displayDialog` (JXA) takes the next answer of
// world.dialog: {kind:'ok', text}, {kind:'cancel'} or {kind:'timeout'}. Dialogs need the
// console user's GUI session: the fake requires being started through
// `launchctl asuser <console uid> …` and otherwise fails with -1713, as a daemon would.

const { consoleUid } = require('./cmd-accounts.js');

function parseArgs(argv) {
  const lines = [];
  let language = 'AppleScript';
  let sourceForm = false;
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '-e') lines.push(argv[(i += 1)]);
    else if (argv[i] === '-l') language = argv[(i += 1)];
    else if (argv[i] === '-s') sourceForm = (argv[(i += 1)] || '').includes('s');
  }
  return { script: lines.join('\n'), language, sourceForm };
}

function quoted(text) {
  return `"${String(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`; // -s s escaping unconfirmed
}

async function osascript(ctx) {
  const w = ctx.world;
  const { script, language, sourceForm } = parseArgs(ctx.argv);
  const jxa = /^javascript$/i.test(language);
  const isDialog = jxa ? /displayDialog\s*\(/.test(script) : /display dialog/.test(script);
  if (!isDialog) return 0; // other scripts: nothing to show
  const offsets = `0:${script.length}`;
  const fail = (message, code) => {
    ctx.err(`${offsets}: execution error: ${jxa ? 'Error: Error: ' : ''}${message} (${code})\n`);
    return 1;
  };
  const uid = consoleUid(w);
  if (w.consoleUser === null || uid === 0 || ctx.env.FAKE_MAC_ASUSER_UID !== String(uid)) {
    return fail('No user interaction allowed.', -1713); // text unconfirmed, number standard
  }
  const givingUp = jxa ? /givingUpAfter/.test(script) : /giving up after/.test(script);
  const withAnswer = jxa ? /defaultAnswer/.test(script) : /default answer/.test(script);
  const buttonMatch = jxa ? /defaultButton\s*:\s*["']([^"']*)["']/.exec(script) : /default button "([^"]*)"/.exec(script);
  const button = buttonMatch ? buttonMatch[1] : 'OK';
  let answer = w.dialog.shift();
  ctx.saveWorld();
  if (!answer) answer = givingUp ? { kind: 'timeout' } : { kind: 'noAnswer' };
  if (answer.kind === 'cancel') return fail('User canceled.', -128);
  if (answer.kind === 'noAnswer') return fail('AppleEvent timed out.', -1712);
  const ok = answer.kind === 'ok';
  const fields = { button: ok ? button : '', text: ok ? answer.text : '', gaveUp: !ok };
  if (jxa) {
    const record = { buttonReturned: fields.button };
    if (withAnswer) record.textReturned = fields.text;
    if (givingUp) record.gaveUp = fields.gaveUp;
    ctx.out(`${JSON.stringify(record)}\n`);
    return 0;
  }
  const parts = sourceForm ? [`button returned:${quoted(fields.button)}`] : [`button returned:${fields.button}`];
  if (withAnswer) parts.push(sourceForm ? `text returned:${quoted(fields.text)}` : `text returned:${fields.text}`);
  if (givingUp) parts.push(`gave up:${fields.gaveUp}`);
  ctx.out(sourceForm ? `{${parts.join(', ')}}\n` : `${parts.join(', ')}\n`);
  return 0;
}

module.exports = { osascript };
