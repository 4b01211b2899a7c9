import type { FaultMatch, FaultSpec } from './faults';

/**
 * Ready-made faults for the answers a proxy, a load balancer or a failing Jamf Pro node gives
 * instead of Jamf Pro's own (issue 16's fault table, test/jamf/faultTable.test.ts).
 *
 * No capture exists of the exact page a proxy or maintenance window puts in front of Jamf Pro
 * with a 200; the HTML below is the one Jamf Pro page format the reference has (the Classic API
 * "Status page", reference/jamf-pro-api.md §0.4), answered with 200 and `text/html`. superd must not
 * depend on its content, only refuse it: any HTML where JSON belongs is a server fault.
 */
export const STATUS_PAGE_HTML = [
  '<html>',
  '<head>',
  '   <title>Status page</title>',
  '</head>',
  '<body style="font-family: sans-serif;">',
  '<p style="font-size: 1.2em;font-weight: bold;margin: 1em 0px;">Service Unavailable</p>',
  '<p>The server is currently unable to handle the request due to a temporary overloading or maintenance of the server</p>',
  '<p>You can get technical details <a href="http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.5.4">here</a>.<br>',
  'Please continue your visit at our <a href="/">home page</a>.',
  '</p>',
  '</body>',
  '</html>',
  '',
].join('\n');

type Times = { times?: number };

export const faultBodies = {
  /** 200 with an HTML page where JSON belongs. */
  htmlOk: (match: FaultMatch & Times): FaultSpec => ({ ...match, kind: 'status', status: 200, body: STATUS_PAGE_HTML, headers: { 'Content-Type': 'text/html;charset=UTF-8' } }),
  /** The real answer, cut in half (JSON that does not parse). */
  truncated: (match: FaultMatch & Times): FaultSpec => ({ ...match, kind: 'malformed' }),
  /** 200 with well-formed JSON of the wrong shape. */
  wrongTypes: (match: FaultMatch & Times, body: unknown): FaultSpec => ({ ...match, kind: 'status', status: 200, body }),
  /** 200 with the JSON literal `null`. */
  nullBody: (match: FaultMatch & Times): FaultSpec => ({ ...match, kind: 'status', status: 200, body: null }),
  /** No answer until the client gives up. */
  hang: (match: FaultMatch & Times): FaultSpec => ({ ...match, kind: 'hang' }),
};
