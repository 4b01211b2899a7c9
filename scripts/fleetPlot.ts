/**
 * A hand-written SVG chart for the fleet simulation (no dependency): requests per minute and
 * the most connections open in each minute, over the scenario, with Jamf's guidance of 5
 * concurrent connections drawn as a line. Long series are reduced to the maximum of each
 * bucket, so no peak disappears from the picture.
 */
const W = 960;
const H = 220;
const PAD = { left: 64, right: 16, top: 28, bottom: 28 };

function bucketMax(values: ArrayLike<number>, buckets: number): number[] {
  const size = Math.max(1, Math.ceil(values.length / buckets));
  const out: number[] = [];
  for (let i = 0; i < values.length; i += size) {
    let m = 0;
    for (let j = i; j < Math.min(values.length, i + size); j++) m = Math.max(m, values[j]!);
    out.push(m);
  }
  return out;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function panel(y0: number, title: string, values: ArrayLike<number>, minutes: number, colour: string, guide?: number): string {
  const points = bucketMax(values, 720);
  const max = Math.max(1, guide ?? 0, ...points) * 1.1;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (i / Math.max(1, points.length - 1)) * plotW;
  const y = (v: number) => y0 + PAD.top + plotH - (v / max) * plotH;
  const line = points.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const parts = [
    `<text x="${PAD.left}" y="${y0 + 18}" font-size="13" font-weight="bold">${escape(title)}</text>`,
    `<line x1="${PAD.left}" y1="${y(0)}" x2="${W - PAD.right}" y2="${y(0)}" stroke="#888"/>`,
    `<line x1="${PAD.left}" y1="${y0 + PAD.top}" x2="${PAD.left}" y2="${y(0)}" stroke="#888"/>`,
    `<text x="${PAD.left - 6}" y="${y(max / 1.1) + 4}" font-size="11" text-anchor="end">${Math.round(max / 1.1)}</text>`,
    `<text x="${PAD.left - 6}" y="${y(0) + 4}" font-size="11" text-anchor="end">0</text>`,
  ];
  const hours = minutes / 60;
  const step = hours > 48 ? 24 : hours > 12 ? 6 : 1;
  for (let h = 0; h <= hours; h += step) {
    const xi = PAD.left + (h / hours) * plotW;
    parts.push(`<text x="${xi.toFixed(1)}" y="${y(0) + 16}" font-size="10" text-anchor="middle">${h} h</text>`);
  }
  if (guide !== undefined) {
    parts.push(`<line x1="${PAD.left}" y1="${y(guide)}" x2="${W - PAD.right}" y2="${y(guide)}" stroke="#c00" stroke-dasharray="6 4"/>`);
    parts.push(`<text x="${W - PAD.right}" y="${y(guide) - 4}" font-size="11" text-anchor="end" fill="#c00">Jamf guidance: ${guide}</text>`);
  }
  parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="1" points="${line}"/>`);
  return parts.join('\n');
}

/** The SVG document for one scenario. */
export function scenarioSvg(title: string, perMinute: Uint32Array, peakConcurrencyPerMinute: Uint16Array, guide: number): string {
  const minutes = perMinute.length;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${2 * H + 30}" viewBox="0 0 ${W} ${2 * H + 30}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${PAD.left}" y="18" font-size="15">${escape(title)}</text>`,
    `<g transform="translate(0,20)">`,
    panel(0, 'Jamf Pro requests per minute (max per bucket)', perMinute, minutes, '#1f5fa8'),
    panel(H, 'Most connections open in the minute', peakConcurrencyPerMinute, minutes, '#2a7d2a', guide),
    `</g>`,
    `</svg>`,
    '',
  ].join('\n');
}
