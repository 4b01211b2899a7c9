'use strict';
// NSDictionary/NSArray -description output, as mdmclient prints it (reference §5):
// `key = value;`, dictionaries in { }, arrays in ( ), keys sorted, a nested container opens on
// the same line after `=` plus its own indentation (`QueryResponses =     {`).

const INDENT = '    ';

function indent(level) {
  return INDENT.repeat(level);
}

function scalar(value) {
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') return String(value);
  const text = String(value);
  // Bare only for plain alphanumerics: the samples quote "26.5", "en-US", "FDE_Enabled".
  if (/^[A-Za-z0-9]+$/.test(text)) return text;
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function isContainer(value) {
  return value !== null && typeof value === 'object';
}

function describe(value, level) {
  if (Array.isArray(value)) {
    if (value.length === 0) return `(\n${indent(level)})`;
    const items = value.map((item) => indent(level + 1) + (isContainer(item) ? indent(level + 1) + describe(item, level + 1) : scalar(item)));
    return `(\n${items.join(',\n')}\n${indent(level)})`;
  }
  if (isContainer(value)) {
    const keys = Object.keys(value).filter((key) => value[key] !== undefined && value[key] !== null).sort();
    const lines = keys.map((key) => {
      const v = value[key];
      const rendered = isContainer(v) ? indent(level + 1) + describe(v, level + 1) : scalar(v);
      return `${indent(level + 1)}${scalar(key)} = ${rendered};\n`;
    });
    return `{\n${lines.join('')}${indent(level)}}`;
  }
  return scalar(value);
}

module.exports = { describe };
