// @ts-check
// Runs inside the isolate, once per context, after the Hookline globals are installed.
//
// Contexts are reused across runs because creating one costs about a millisecond. Reuse is safe
// only if nothing one run does can be seen by the next, so this freezes every object reachable
// from the global object (and the intrinsics only reachable through instances), removes what
// could carry state or work from one run into the next, and makes the global object itself
// read-only. Per-run data lives in fresh objects that the runtime hands each run.

/* exported hardenRealm */
function hardenRealm(extraRoots) {
  'use strict';
  const { defineProperty, freeze, getOwnPropertyDescriptor, getPrototypeOf } = Object;
  const { ownKeys } = Reflect;

  // Shared memory could pass data between runs; finalizers and weak refs run or reveal work later.
  for (const name of ['SharedArrayBuffer', 'Atomics', 'WebAssembly', 'FinalizationRegistry', 'WeakRef']) {
    delete globalThis[name];
  }

  // RegExp's legacy statics hold the last match, so a run could read a piece of the previous message.
  for (const name of ['input', '$_', 'lastMatch', '$&', 'lastParen', '$+', 'leftContext', '$`', 'rightContext', "$'"]) {
    delete RegExp[name];
  }
  for (let i = 1; i <= 9; i++) delete RegExp['$' + i];

  // In a frozen realm `this.name = 'MyError'` would throw, because assignment refuses to shadow an
  // inherited read-only property. Turn the properties code commonly assigns into accessors that
  // shadow on assignment, as SES does.
  function allowOverride(prototype, names) {
    for (const name of names) {
      const descriptor = getOwnPropertyDescriptor(prototype, name);
      if (!descriptor || !('value' in descriptor)) continue;
      const value = descriptor.value;
      defineProperty(prototype, name, {
        get() {
          return value;
        },
        set(replacement) {
          if (this === prototype) throw new TypeError(`Cannot assign to read only property '${String(name)}'`);
          defineProperty(this, name, { value: replacement, writable: true, enumerable: true, configurable: true });
        },
        enumerable: descriptor.enumerable,
        configurable: false,
      });
    }
  }
  const errors = [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError];
  allowOverride(Object.prototype, [
    'constructor',
    'toString',
    'toLocaleString',
    'valueOf',
    'hasOwnProperty',
    'isPrototypeOf',
    'propertyIsEnumerable',
  ]);
  for (const ErrorClass of errors) allowOverride(ErrorClass.prototype, ['constructor', 'name', 'message', 'toString']);
  allowOverride(Function.prototype, ['constructor', 'toString']);
  // Not `constructor` of Array, Promise or RegExp: V8 guards its fast paths on those staying data
  // properties (the species protectors), and code rarely assigns them.
  allowOverride(Array.prototype, ['toString', 'toLocaleString']);

  // Intrinsics that no global property leads to: reach them through instances.
  /** @type {unknown[]} */
  const hidden = [
    async function () {},
    function* () {},
    async function* () {},
    (function* () {})(),
    (async function* () {})(),
    [][Symbol.iterator](),
    new Map()[Symbol.iterator](),
    new Set()[Symbol.iterator](),
    ''[Symbol.iterator](),
    /a/[Symbol.matchAll]('a'),
  ];
  if (typeof Iterator === 'function') {
    hidden.push(
      [].values().map((x) => x),
      Iterator.from({ next: () => ({ done: true, value: undefined }) }),
    );
  }
  if (typeof Intl === 'object' && typeof Intl.Segmenter === 'function') {
    const segments = new Intl.Segmenter().segment('');
    hidden.push(segments, segments[Symbol.iterator]());
  }

  const seen = new WeakSet();
  const pending = [globalThis, ...hidden, ...extraRoots];
  while (pending.length > 0) {
    const value = pending.pop();
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) continue;
    seen.add(value);
    freeze(value);
    pending.push(getPrototypeOf(value));
    for (const key of ownKeys(value)) {
      const descriptor = getOwnPropertyDescriptor(value, key);
      if (descriptor === undefined) continue;
      if ('value' in descriptor) pending.push(descriptor.value);
      else pending.push(descriptor.get, descriptor.set);
    }
  }
}
