// JSON text for the engine, the API and storage. Prototype.js-era pages give
// arrays a `toJSON` that returns JSON *text*, so a plain
// JSON.stringify({ lines: [..] }) sends `"lines": "[..]"`. Such page
// additions (on objects and arrays: JSON.stringify asks only objects for
// toJSON) are switched off for the synchronous call and put back.

const PROTOS = [Object.prototype, Array.prototype];

export function stringify(value) {
  const saved = [];
  for (const p of PROTOS) {
    const d = Object.getOwnPropertyDescriptor(p, 'toJSON');
    if (d && d.configurable && delete p.toJSON) saved.push([p, d]);
  }
  try {
    return JSON.stringify(value);
  } finally {
    for (const [p, d] of saved) Object.defineProperty(p, 'toJSON', d);
  }
}
