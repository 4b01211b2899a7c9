'use strict';
// /usr/local/bin/jamf: -version, checkJSSConnection, recon, policy (reference §3).

const { corpusCase } = require('./cmd-system.js');

function versionLine(version) {
  // Shape version=<major>.<minor>.<patch>-t<epoch> is Derived; the suffix is unconfirmed.
  return `version=${/-/.test(version) ? version : `${version}-t1712591696`}\n`;
}

function jssBase(url) {
  return url.endsWith('/') ? url : `${url}/`;
}

async function jamf(ctx) {
  const w = ctx.world;
  const verb = ctx.argv[0];
  if (verb === '-version' || verb === 'version' || verb === '--version') {
    ctx.out(versionLine(w.jamfVersion));
    return 0;
  }
  if (verb === 'checkJSSConnection') {
    const retryAt = ctx.argv.indexOf('-retry');
    const tries = retryAt >= 0 ? Math.max(0, Number(ctx.argv[retryAt + 1]) || 0) + 1 : 1;
    if (!w.jssUrl) {
      // Wording unconfirmed (reference §3.2); only the non-zero exit is known.
      ctx.err('There is no JSS URL configured.\n');
      return 1;
    }
    if (w.jssAvailable === false) {
      for (let i = 0; i < tries; i += 1) ctx.out(`Checking availability of ${jssBase(w.jssUrl)}...\n`);
      // Unconfirmed wording, deliberately containing "available": super's substring test
      // would take it for success; superd must use the exit status (reference §3.2).
      ctx.out('The JSS is not available.\n');
      return 1;
    }
    // test/fixtures/macos/jamf/checkjssconnection-available.txt, with this Mac's server.
    ctx.out(corpusCase(ctx, 'jamf/checkjssconnection-available').stdout.replace('https://example.jamfcloud.com/', jssBase(w.jssUrl)));
    return 0;
  }
  if (verb === 'recon') {
    if (!w.jssUrl || w.jssAvailable === false || w.reconFails) {
      // Failure wording unconfirmed; super only requires exit 0 (reference §3.3).
      ctx.out(`Retrieving inventory preferences from ${w.jssUrl ? jssBase(w.jssUrl) : '(none)'}...\n`);
      ctx.err('There was an error.\n\nConnection failure: "The host is not accessible."\n');
      return 1;
    }
    const base = jssBase(w.jssUrl);
    // Progress wording is unconfirmed except the <computer_id> line (reference §3.3).
    let text = `Retrieving inventory preferences from ${base}...\n` +
      'Locating accounts...\nLocating applications...\nLocating hard drive information...\n' +
      `Locating hardware information (macOS ${w.macOS.productVersion})...\n` +
      `Submitting data to ${base}...\n`;
    if (w.computerId !== null && w.computerId !== undefined) text += `<computer_id>${w.computerId}</computer_id>\n`;
    ctx.out(text);
    return 0;
  }
  if (verb === 'policy') {
    const eventAt = ctx.argv.indexOf('-event');
    const trigger = eventAt >= 0 ? ctx.argv[eventAt + 1] : 'recurring check-in';
    // Wording unconfirmed; the fake runs no policies.
    ctx.out(`Checking for policies triggered by "${trigger}" for user "root"...\nNo policies were found for the "${trigger}" trigger.\n`);
    return 0;
  }
  ctx.err(`The verb "${verb === undefined ? '' : verb}" is not recognized by the fake jamf binary.\n`);
  return 1;
}

module.exports = { jamf };
