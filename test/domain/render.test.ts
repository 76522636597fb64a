import { describe, expect, it } from 'vitest';
import { fields, table } from '../../src/domain/render.js';

describe('compact text', () => {
  it('a table has a header of the first row keys and one tab-separated line per row', () => {
    expect(
      table([
        { id: 1, name: 'Beach House', note: null },
        { id: 2, name: 'Condo', note: 'x' },
      ]),
    ).toBe('id\tname\tnote\n1\tBeach House\t\n2\tCondo\tx');
  });

  it('cells stay on one line: tabs and line breaks become one space; objects are JSON; undefined is empty', () => {
    expect(table([{ a: 'one\ttwo\r\nthree\n\nfour', b: { x: [1, 2] }, c: undefined, d: false }])).toBe(
      'a\tb\tc\td\none two three four\t{"x":[1,2]}\t\tfalse',
    );
  });

  it('chosen columns come in the chosen order; no rows is "(none)"', () => {
    expect(table([{ a: 1, b: 2, c: 3 }], ['c', 'a'])).toBe('c\ta\n3\t1');
    expect(table([])).toBe('(none)');
    expect(table([], ['a'])).toBe('(none)');
  });

  it('fields: key: value lines, empty values left out, objects as JSON', () => {
    expect(fields({ a: 1, b: null, c: undefined, d: '', e: 'text', f: { g: 1 }, h: 0, i: false })).toBe(
      'a: 1\ne: text\nf: {"g":1}\nh: 0\ni: false',
    );
    expect(fields({})).toBe('');
  });
});
