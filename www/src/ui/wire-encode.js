// The engine's inputs (shopper, cart, line, signals) as the bytes the wasm
// reads (rewards_core::input, postcard's conventions: zigzag LEB128
// varints, tag bytes for options, length-prefixed UTF-8). The fields are
// not listed here: the tables are the core's own description (the full
// module's `inputs()`: wire-inputs.js has them from the build, tests from
// the module), turned once per table into one writer per field (`compile`):
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
// A cart's lines are kept with the values they were written from: a line
// whose values did not change is its kept bytes (the same array), so the
// cart-page glue sends only the changed lines (`lines` of callInputs).

const utf8 = new TextEncoder();
// Non-ASCII texts met before (product types, titles: the same on every cart update), as UTF-8.
const texts = new Map();
// JSON.stringify's fields: own and enumerable.
const isField = (o, k) => Object.prototype.propertyIsEnumerable.call(o, k);
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
   * (empty: a guest, no input), or the issues of the first one that is
   * malformed. For a cart, `lines`: where its lines' bytes start (`at`) and
   * end (`end`), and each line's bytes (`items`, kept ones while unchanged).
   */
  function callInputs(op, shopper, input) {
    const name = TABLES.ops[op];
    const s = shopper == null ? { bytes: EMPTY } : encodeInput(TABLES.shopper, shopper);
    if (s.issues) return s;
    const i = input == null || !name ? { bytes: EMPTY } : encodeInput(TABLES[name], input);
    return i.issues ? i : { shopper: s.bytes, input: i.bytes, lines: i.lines };
  }
  return { callInputs, encode: (name, value) => encodeInput(TABLES[name], value) };
}

// The encoder's state for the call in progress (one at a time: JS runs one
// call to the end). Module-level so a call creates no closures: the widget
// encodes on every cart change (issue 10's preview budget).
let buf = new Uint8Array(1024);
let n = 0;
let issues = [];
// The top-level list's lines in the call in progress ({ at, end, items }).
let lines;
// The path to the value being encoded (keys and indexes), rendered only for an issue.
const stack = [];

/** Encodes `value` by the rows of one input: { bytes } or { issues }. */
function encodeInput(rows, value) {
  n = 0;
  issues = [];
  lines = undefined;
  stack.length = 0;
  compile(rows)(plain(value));
  // A copy: the next call reuses the buffer.
  return issues.length ? { issues } : { bytes: buf.slice(0, n), lines };
}

function fail(message) {
  let path = '';
  for (const k of stack) path = typeof k == 'number' ? path + '[' + k + ']' : path ? path + '.' + k : k;
  issues.push({ path, message });
}

function grow(k) {
  const b = new Uint8Array(Math.max(buf.length * 2, n + k));
  b.set(buf);
  buf = b;
}

function byte(b) {
  if (n >= buf.length) grow(1);
  buf[n++] = b;
}

function uvar(u) {
  // u: a non-negative integer below 2^53.
  while (u >= 128) byte(u % 128 | 128), (u = Math.floor(u / 128));
  byte(u);
}

function zigzag(i) {
  // i: in a table's range (every one is within ±2^51) or 0.
  uvar(i < 0 ? -2 * i - 1 : 2 * i);
}

function str(s) {
  // ASCII (ids, SKUs, dates) byte by byte; anything else through TextEncoder.
  const len = s.length;
  if (n + len + 10 > buf.length) grow(len + 10);
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
  put(bytes);
}

/** An integer in min..max, as the engine reads the number's JSON text. */
function int(v, min, max) {
  if (typeof v != 'number') return fail('expected an integer, found ' + kindOf(v)), 0;
  // The number's JSON text is what the engine reads; an integer double is
  // compared exactly (min and max are exact doubles within ±2^51).
  const t = JSON.stringify(v);
  if (!Number.isSafeInteger(v)) {
    if (!/^-?\d+$/.test(t)) return fail(/e/i.test(t) ? t + ' is out of range' : 'must be a whole number, found ' + t), 0;
    if (v < -(2 ** 63) || v >= 2 ** 63) return fail(t + ' is out of range'), 0;
  }
  if (v < min) return fail('must be at least ' + min + ', found ' + t), 0;
  if (v > max) return fail('must be at most ' + max + ', found ' + t), 0;
  return v;
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

/**
 * The writer of one row: a function of the field's value (undefined when
 * absent). Built once per table (`compile`), so a call only runs them.
 */
function writer(row) {
  const [, kind, a, b, c] = row;
  switch (kind) {
    case 'i':
      return (v) => (v != null ? zigzag(int(v, a, b)) : c == null ? fail('is required') : zigzag(c));
    case 'oi':
      return (v) => (v == null ? byte(0) : (byte(1), zigzag(int(v, a, b))));
    case 'b':
      return (v) => {
        if (v != null && typeof v != 'boolean') fail('expected true or false, found ' + kindOf(v));
        byte(v === true ? 1 : 0);
      };
    case 't':
      return (v) => (v != null ? str(text(v, a, b)) : c == null ? fail('is required') : str(c));
    case 'ot':
      return (v) => (v == null ? byte(0) : (byte(1), str(text(v, a, b))));
    case 'ts':
      return (v) => {
        const list = v == null ? [] : items(v);
        uvar(list.length);
        for (let i = 0; i < list.length; i++) {
          stack.push(i);
          str(text(plain(list[i]), a, b));
          stack.pop();
        }
      };
    case 'd':
      return (v) => (v == null ? fail('is required') : instant(v, a, b));
    case 'od':
      return (v) => (v == null ? byte(0) : (byte(1), instant(v, a, b)));
    case 'c':
      return (v) => {
        if (v == null) return b == null ? byte(0) : byte(b);
        if (b == null) byte(1);
        const i = typeof v == 'string' ? a.indexOf(v) : -1;
        if (i < 0) fail(typeof v == 'string' ? 'unknown value "' + v + '"; expected one of: ' + a.join(', ') : 'expected a string, found ' + kindOf(v));
        byte(Math.max(i, 0));
      };
    case 'l': {
      // The input's own list (a cart's lines): item i's bytes and the values they came from.
      const kept = [];
      return (v) => {
        if (v == null && b) return fail('is required');
        const list = v == null ? [] : items(v);
        if (list.length > a) return fail('at most ' + a + ' lines'), byte(0);
        uvar(list.length);
        const item = compile(c);
        const top = stack.length == 1 && (lines = { at: n, items: [] });
        for (let i = 0; i < list.length; i++) {
          stack.push(i);
          const x = plain(list[i]);
          let k = top && kept[i];
          if (k && same(item.names, k, x)) put(k.bytes);
          else if (top) {
            const at = n;
            const was = issues.length;
            const vals = [];
            const plainOnly = item(x, vals);
            k = { vals, keys: vals.filter((y) => y !== undefined).length, bytes: buf.slice(at, n) };
            if (plainOnly && issues.length == was) kept[i] = k;
          } else item(x);
          if (top) top.items.push(k.bytes);
          stack.pop();
        }
        if (top) top.end = n;
      };
    }
    case 'o':
      return (v) => (v == null ? byte(0) : (byte(1), compile(a)(v)));
    case 's': {
      // Checked like the row it holds, then the bytes are dropped.
      const inner = writer(a);
      return (v) => {
        const at = n;
        if (v != null) inner(v);
        n = at;
      };
    }
    default: // 'a': accepted, not sent
      return () => {};
  }
}

const compiled = new WeakMap();
/** The encoder of one object's rows (cached per table). */
function compile(rows) {
  let f = compiled.get(rows);
  if (f) return f;
  const names = rows.filter((r) => r[1] != 'e').map((r) => r[0]);
  const writers = rows.filter((r) => r[1] != 'e').map(writer);
  const either = rows.filter((r) => r[1] == 'e');
  const known = new Set(rows.map((r) => r[0]));
  // `vals` (when given) gets the values read, arrays copied; true when they
  // tell the object's bytes: its every field was read, each a plain value
  // or an array of them.
  f = (v, vals) => {
    if (v === null || typeof v != 'object' || Array.isArray(v)) return fail('expected an object, found ' + kindOf(v));
    let read = 0;
    let plainOnly = true;
    for (let k = 0; k < names.length; k++) {
      const x = own(v, names[k]);
      if (x !== undefined) read++;
      if (vals) {
        const a = Array.isArray(x) && x.map(plain);
        if (x && typeof x == 'object' && !(a && a.every((e) => e === null || typeof e != 'object'))) plainOnly = false;
        vals.push(a || x);
      }
      stack.push(names[k]);
      writers[k](x);
      stack.pop();
    }
    // As many of Object.keys as rows read (each of those is among them): every
    // field is a row's, no unknown one to look for (the common case).
    const keys = Object.keys(v);
    if (keys.length != read) {
      for (const k of keys) {
        if (!known.has(k) && v[k] !== undefined) {
          stack.push(k);
          fail('unknown field');
          stack.pop();
        }
      }
    }
    for (const row of either) {
      if (own(v, row[2]) == null && own(v, row[3]) == null) {
        stack.push(row[2]);
        fail('is required (or ' + row[3] + ')');
        stack.pop();
      }
    }
    return plainOnly && keys.length == read;
  };
  f.names = names;
  compiled.set(rows, f);
  return f;
}

/** Whether `v` has exactly the values `k` kept (so its bytes are `k.bytes`). */
function same(names, k, v) {
  if (v === null || typeof v != 'object' || Array.isArray(v) || Object.keys(v).length != k.keys) return false;
  for (let j = 0; j < names.length; j++) {
    const x = own(v, names[j]);
    const y = k.vals[j];
    if (x === y) continue;
    if (!Array.isArray(x) || !Array.isArray(y) || x.length != y.length) return false;
    for (let i = 0; i < x.length; i++) if (plain(x[i]) !== y[i]) return false;
  }
  return true;
}

function put(bytes) {
  if (n + bytes.length > buf.length) grow(bytes.length);
  buf.set(bytes, n);
  n += bytes.length;
}

/** `v[k]` as JSON.stringify would send it: own enumerable fields only (a page's prototype additions are not fields). */
function own(v, k) {
  const x = v[k];
  return x === undefined || !isField(v, k) ? undefined : plain(x);
}
