import { formatProblem, formatValue, GpuplaneValidationError } from '../../../lib/core/errors';
import { cronProblem, durationSeconds, imageReferenceProblem, labelKeyProblem, labelValueProblem } from '../../../lib/core/options/formats';
import { alt, arr, bool, checkOptions, didYouMean, num, obj, off, oneOf, opt, posInt, problemsOf, record, Shape, str } from '../../../lib/core/options/schema';

interface Demo {
  readonly name: string;
  readonly count?: number;
  readonly mode?: 'a' | 'b';
  readonly nested?: { readonly deep?: boolean };
  readonly list?: readonly string[];
  readonly nodes?: number | { readonly min: number; readonly max: number };
  readonly feature?: { readonly x?: number } | false;
  readonly tags?: Record<string, string>;
}

const shape: Shape<Demo> = {
  name: str({ minLength: 1 }),
  count: opt(posInt('use 3')),
  mode: opt(oneOf(['a', 'b'])),
  nested: opt(obj<{ readonly deep?: boolean }>({ deep: opt(bool()) })),
  list: opt(arr(str(), { unique: true })),
  nodes: opt(alt({ number: posInt(), object: obj<{ readonly min: number; readonly max: number }>({ min: num({ integer: true, min: 0 }), max: posInt() }) })),
  feature: opt(alt({ boolean: off(), object: obj<{ readonly x?: number }>({ x: opt(num()) }) })),
  tags: opt(record(str())),
};
const DEMO = obj<Demo>(shape);
const messages = (value: unknown) => problemsOf(DEMO, value).map(formatProblem);

describe('option schemas', () => {
  test('a valid object passes', () => {
    expect(messages({ name: 'x', count: 2, mode: 'a', nested: { deep: true }, list: ['p'], nodes: { min: 0, max: 2 }, feature: false, tags: { t: 'v' } })).toEqual([]);
  });

  test.each([
    [{ name: 'x', cuont: 3 }, "'cuont' is not an option; did you mean 'count'? (got 3; allowed: name, count, mode, nested, list, nodes, feature, tags). Fix: rename it to 'count'"],
    [{ name: 'x', nested: { deeep: true } }, "'nested.deeep' is not an option; did you mean 'deep'?"],
    [{ name: 'x', Mode: 'a' }, "did you mean 'mode'?"],
    [{ name: 'x', whatever: 1 }, "'whatever' is not an option (got 1;"],
  ])('unknown keys at any depth are refused with the nearest key: %j', (value, expected) => {
    expect(messages(value).join('\n')).toContain(expected);
  });

  test.each([
    [{ name: 'x', count: NaN }, "'count' must be a positive integer, not NaN (got NaN). Fix: pass a finite number (an integer); check the computation that produced it"],
    [{ name: 'x', count: Infinity }, "'count' must be a positive integer, not an infinite number (got Infinity)"],
    [{ name: 'x', count: '3' }, "'count' must be a positive integer, not a string (got \"3\"). Fix: write 3 without quotes"],
    [{ name: 'x', count: 2.5 }, "'count' must be a positive integer (got 2.5"],
    [{ name: 'x', count: 0 }, "'count' must be a positive integer (got 0"],
    [{ name: 'x', count: -1 }, "'count' must be a positive integer (got -1"],
    [{ name: 'x', nested: 80 }, "'nested' must be an object of options, not a number (got 80)"],
    [{ name: 'x', list: 'a' }, "'list' must be a list of a string, not a string"],
    [{ name: 'x', list: ['a', 'a'] }, "'list[1]' repeats an earlier item"],
    [{ name: 'x', nodes: '2' }, "'nodes' must be a positive integer, or an object of options, not a string (got \"2\")"],
    [{ name: 'x', nodes: { min: 1 } }, "'nodes.max' is required"],
    [{ name: 'x', feature: true }, "'feature' takes false to switch the feature off, or an object of options (got true)"],
    [{ name: 'x', mode: 'c' }, "'mode' must be 'a' or 'b' (got \"c\"; allowed: 'a', 'b')"],
    [{ name: 'x', tags: { t: 3 } }, "'tags.t' must be a string, not a number (got 3)"],
    [{ name: 'x', nested: { deep: 'true' } }, "'nested.deep' must be a boolean (true or false), not a string (got \"true\"). Fix: write true without quotes"],
    [{}, "'name' is required: a string (got nothing)"],
    [{ name: null }, "'name' must be a string, not null (got null)"],
  ])('wrong values are refused with the field and the value as received: %j', (value, expected) => {
    expect(messages(value).join('\n')).toContain(expected);
  });

  test('every problem of one object comes at once', () => {
    expect(messages({ name: 3, count: 'x', mode: 'z', typo: 1 })).toHaveLength(4);
  });

  test('checkOptions throws a GpuplaneValidationError carrying the problems', () => {
    try {
      checkOptions('Demo', DEMO, { name: 'x', count: NaN });
      throw new Error('expected a refusal');
    } catch (e) {
      expect(e).toBeInstanceOf(GpuplaneValidationError);
      expect((e as GpuplaneValidationError).problems[0]).toMatchObject({ field: 'count', value: NaN });
    }
  });

  test('did-you-mean picks near misses only', () => {
    expect(didYouMean('maxModelLength', ['maxModelLen', 'maxNumSeqs'])).toBe('maxModelLen');
    expect(didYouMean('timeslicing', ['timeSlicing', 'mps'])).toBe('timeSlicing');
    expect(didYouMean('member', ['members', 'hosts'])).toBe('members');
    expect(didYouMean('zzz', ['members', 'hosts'])).toBeUndefined();
  });

  test('values are shown as received', () => {
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(-Infinity)).toBe('-Infinity');
    expect(formatValue('3')).toBe('"3"');
    expect(formatValue({ a: NaN, b: [Infinity] })).toBe('{"a":NaN,"b":[Infinity]}');
    expect(formatValue(undefined)).toBe('nothing');
  });
});

describe('formats', () => {
  test.each([
    ['0 */6 * * *', undefined],
    ['30 3 * * 0', undefined],
    ['30 3 * * sun', undefined],
    ['@daily', undefined],
    ['0 */6 * *', 'must have 5 fields'],
    ['61 * * * *', 'minute "61" outside 0-59'],
    ['* 24 * * *', 'hour "24" outside 0-23'],
    ['*/0 * * * *', 'zero step'],
  ])('cron %p', (schedule, problem) => {
    const got = cronProblem(schedule);
    if (problem === undefined) expect(got).toBeUndefined();
    else expect(got).toContain(problem);
  });

  test.each([
    ['vllm/vllm-openai:v0.26.0', true],
    [`vllm/vllm-openai@sha256:${'a'.repeat(64)}`, true],
    ['registry.example.com:5000/team/tools:1.2', true],
    ['Vllm/Vllm-openai:v1', false],
    ['vllm/vllm-openai:', false],
    ['vllm openai', false],
  ])('image reference %p parses: %p', (ref, ok) => {
    expect(imageReferenceProblem(ref) === undefined).toBe(ok);
  });

  test('label keys and values', () => {
    expect(labelKeyProblem('example.com/team')).toBeUndefined();
    expect(labelKeyProblem('Example.com/team')).toContain('prefix');
    expect(labelKeyProblem('-bad')).toContain('label key');
    expect(labelValueProblem('a'.repeat(64))).toContain('at most 63');
    expect(labelValueProblem('ok-1.x_y')).toBeUndefined();
    expect(labelValueProblem('not ok')).toContain('label value');
  });

  test('durations in seconds', () => {
    expect(durationSeconds('1h30m')).toBe(5400);
    expect(durationSeconds('300s')).toBe(300);
    expect(durationSeconds('soon')).toBeUndefined();
  });
});
