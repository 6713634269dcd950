// The engine's inputs (shopper, cart, line, signals) as the bytes the wasm
// reads (rewards_core::input, postcard's conventions: zigzag LEB128
// varints, tag bytes for options, length-prefixed UTF-8). The fields are
// not listed here: the tables are the core's own description (the full
// module's `inputs()`: wire-inputs.js has them from the build, tests from
// the module), interpreted row by row:
//   [name, 'i', min, max, default|null]   integer (null default: required)
//   [name, 'oi', min, max]                optional integer
//   [name, 'b']                           boolean (absent: false)
//   [name, 't', kind, max, default|null]  text; kind any|max|id|cur|dec
//   [name, 'ot', kind, max]               optional text
//   [name, 'ts', kind, max]               list of texts
//   [name, 'd'|'od', min, max]            (optional) instant: UTC text or epoch ms
//   [name, 'c', names, default|null]      one of names (null default: optional)
//   [name, 'l', max, required, rows]      list of objects
//   [name, 'o', rows]                     optional object
//   [name, 's', row]                      accepted and checked, not sent
//   [name, 'a']                           accepted, not sent
//   ['', 'e', a, b]                       a or b must be given
// Problems are collected with their paths and messages as the native
// encoder (rewards_core::input::encode) words them; the values only the
// core can judge (currency codes, decimals, UTC dates) go as text and the
// wasm names their path itself.

const utf8 = new TextEncoder();
// Non-ASCII texts met before (product types, titles: the same on every cart update), as UTF-8.
const texts = new Map();
const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
const names = new WeakMap();
/** The field names of a table's rows (cached: looked up per object). */
const namesOf = (rows) => names.get(rows) || (names.set(rows, new Set(rows.map((r) => r[0]))), names.get(rows));
const EMPTY = new Uint8Array(0);

const kindOf = (v) => (v === null ? 'null' : typeof v == 'boolean' ? 'a boolean' : typeof v == 'number' ? 'a number' : typeof v == 'string' ? 'a string' : Array.isArray(v) ? 'an array' : 'an object');

/** What JSON.stringify would have sent: a Date as its ISO text, a non-finite number as null. */
function plain(v) {
  if (v instanceof Date) return isNaN(v) ? null : v.toISOString();
  return typeof v == 'number' && !isFinite(v) ? null : v;
}

/** The encoder of the field tables `TABLES` (`{shopper, cart, line, signals, ops}`). */
export function makeEncoder(TABLES) {
  /**
   * The wasm's arguments for `op`: the shopper's and the op's input bytes
   * (empty: a guest, no input), or the issues of the first one that is malformed.
   */
  function callInputs(op, shopper, input) {
    const name = TABLES.ops[op];
    const s = shopper == null ? { bytes: EMPTY } : encodeInput(TABLES.shopper, shopper);
    if (s.issues) return s;
    const i = input == null || !name ? { bytes: EMPTY } : encodeInput(TABLES[name], input);
    return i.issues ? i : { shopper: s.bytes, input: i.bytes };
  }
  return { callInputs, encode: (name, value) => encodeInput(TABLES[name], value) };
}

/** Encodes `value` by the rows of one input: { bytes } or { issues }. */
function encodeInput(rows, value) {
  let buf = new Uint8Array(256);
  let n = 0;
  const issues = [];
  // The path to the value being encoded (keys and indexes), rendered only for an issue.
  const stack = [];
  const fail = (message) => {
    let path = '';
    for (const k of stack) path = typeof k == 'number' ? path + '[' + k + ']' : path ? path + '.' + k : k;
    issues.push({ path, message });
  };
  const inside = (k, f) => {
    stack.push(k);
    f();
    stack.pop();
  };
  const grow = (k) => {
    const b = new Uint8Array(Math.max(buf.length * 2, n + k));
    b.set(buf);
    buf = b;
  };
  const room = (k) => n + k > buf.length && grow(k);
  const byte = (b) => {
    if (n >= buf.length) grow(1);
    buf[n++] = b;
  };
  const uvar = (u) => {
    // u: a non-negative integer (a number up to 2^53, or a BigInt).
    if (typeof u == 'bigint') {
      while (u >= 128n) byte(Number(u & 127n) | 128), (u >>= 7n);
      return byte(Number(u));
    }
    while (u >= 128) byte(u % 128 | 128), (u = Math.floor(u / 128));
    byte(u);
  };
  const zigzag = (i) => (typeof i == 'bigint' ? uvar(i < 0n ? -2n * i - 1n : 2n * i) : Math.abs(i) < 2 ** 51 ? uvar(i < 0 ? -2 * i - 1 : 2 * i) : zigzag(BigInt(i)));
  const str = (s) => {
    // ASCII (ids, SKUs, dates) byte by byte; anything else through TextEncoder.
    const len = s.length;
    room(len + 10);
    let ascii = len < 128;
    for (let k = 0; ascii && k < len; k++) if (s.charCodeAt(k) > 127) ascii = false;
    if (ascii) {
      buf[n++] = len;
      for (let k = 0; k < len; k++) buf[n++] = s.charCodeAt(k);
      return;
    }
    let bytes = texts.get(s);
    if (!bytes) {
      if (texts.size > 500) texts.clear();
      texts.set(s, (bytes = utf8.encode(s)));
    }
    uvar(bytes.length);
    room(bytes.length);
    buf.set(bytes, n);
    n += bytes.length;
  };

  /** An integer in min..max, as the engine reads the number's JSON text. */
  function int(v, min, max) {
    if (typeof v != 'number') return fail('expected an integer, found ' + kindOf(v)), 0;
    // The common case without BigInt (slow): an exact integer, compared exactly (min and max are exact doubles).
    if (Number.isSafeInteger(v)) {
      if (v < min) return fail('must be at least ' + min + ', found ' + v), 0;
      if (v > max) return fail('must be at most ' + max + ', found ' + v), 0;
      return v;
    }
    const t = JSON.stringify(v);
    if (!/^-?\d+$/.test(t)) return fail(/e/i.test(t) ? t + ' is out of range' : 'must be a whole number, found ' + t), 0;
    const i = BigInt(t);
    if (i < -(2n ** 63n) || i >= 2n ** 63n) return fail(t + ' is out of range'), 0;
    if (i < BigInt(min)) return fail('must be at least ' + min + ', found ' + i), 0;
    if (i > BigInt(max)) return fail('must be at most ' + max + ', found ' + i), 0;
    return i;
  }

  function text(v, kind, max) {
    if ((kind == 'id' || kind == 'dec') && typeof v == 'number') return JSON.stringify(v);
    if (typeof v != 'string') return fail((kind == 'dec' ? 'expected a decimal number, found ' : 'expected a string, found ') + kindOf(v)), '';
    if (kind == 'max' || kind == 'id') {
      if (!v.trim()) fail('must not be empty');
      else if (v.length > max && [...v].length > max) fail('must be at most ' + max + ' characters');
    }
    return v;
  }

  function instant(v, min, max) {
    if (typeof v == 'string') return byte(1), str(v);
    if (typeof v != 'number') fail('expected a date string or epoch milliseconds, found ' + kindOf(v));
    byte(0);
    zigzag(typeof v == 'number' ? int(v, min, max) : 0);
  }

  function items(v) {
    if (Array.isArray(v)) return v;
    fail('expected an array, found ' + kindOf(v));
    return [];
  }

  function field(row, v) {
    const [, kind, a, b, c] = row;
    const absent = v == null;
    const opt = (write) => (absent ? byte(0) : (byte(1), write()));
    switch (kind) {
      case 'i':
        if (!absent) return zigzag(int(v, a, b));
        if (c == null) return fail('is required');
        return zigzag(c);
      case 'oi':
        return opt(() => zigzag(int(v, a, b)));
      case 'b':
        if (!absent && typeof v != 'boolean') fail('expected true or false, found ' + kindOf(v));
        return byte(v === true ? 1 : 0);
      case 't':
        if (!absent) return str(text(v, a, b));
        if (c == null) return fail('is required');
        return str(c);
      case 'ot':
        return opt(() => str(text(v, a, b)));
      case 'ts': {
        const list = absent ? [] : items(v);
        uvar(list.length);
        for (let i = 0; i < list.length; i++) inside(i, () => str(text(plain(list[i]), a, b)));
        return;
      }
      case 'd':
        return absent ? fail('is required') : instant(v, a, b);
      case 'od':
        return opt(() => instant(v, a, b));
      case 'c': {
        if (absent) return b == null ? byte(0) : byte(b);
        if (b == null) byte(1);
        const i = typeof v == 'string' ? a.indexOf(v) : -1;
        if (i < 0) fail(typeof v == 'string' ? 'unknown value "' + v + '"; expected one of: ' + a.join(', ') : 'expected a string, found ' + kindOf(v));
        return byte(Math.max(i, 0));
      }
      case 'l': {
        if (absent && b) return fail('is required');
        const list = absent ? [] : items(v);
        if (list.length > a) return fail('at most ' + a + ' lines'), byte(0);
        uvar(list.length);
        for (let i = 0; i < list.length; i++) inside(i, () => object(c, plain(list[i])));
        return;
      }
      case 'o':
        return opt(() => object(a, v));
      case 's': {
        // Checked like the row it holds, then the bytes are dropped.
        const at = n;
        if (!absent) field(a, v);
        n = at;
        return;
      }
    }
  }

  function object(rows, v) {
    if (v === null || typeof v != 'object' || Array.isArray(v)) return fail('expected an object, found ' + kindOf(v));
    // Own fields only, as JSON.stringify sends them (a page's prototype additions are not fields).
    const get = (k) => {
      const x = v[k];
      return x === undefined || !hasOwn(v, k) ? undefined : plain(x);
    };
    for (const row of rows) if (row[1] != 'e') inside(row[0], () => field(row, get(row[0])));
    const names = namesOf(rows);
    for (const k of Object.keys(v)) if (!names.has(k) && v[k] !== undefined) inside(k, () => fail('unknown field'));
    for (const row of rows) if (row[1] == 'e' && get(row[2]) == null && get(row[3]) == null) inside(row[2], () => fail('is required (or ' + row[3] + ')'));
  }

  object(rows, plain(value));
  return issues.length ? { issues } : { bytes: buf.subarray(0, n) };
}

