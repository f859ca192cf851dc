import { isOneOf } from './one-of';

describe('isOneOf', () => {
  const isColour = isOneOf(['red', 'green'] as const);

  it('accepts the names of its list, and only them', () => {
    expect(['red', 'green', 'blue', 'Red', ''].filter(isColour)).toEqual(['red', 'green']);
  });

  it("narrows a string to the list's union", () => {
    const value: string = 'green';
    if (!isColour(value)) throw new Error('expected a colour');
    const colour: 'red' | 'green' = value;
    expect(colour).toBe('green');
  });
});
